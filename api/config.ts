/** The API's settings from the environment (shared by npm run api and npm start), checked once at start-up. */
import { bool, cleanEnv, num, str, url } from 'envalid';
import { s3DocumentStore } from './documents/s3-store';
import { type DocumentStores, postgresDocumentStore } from './documents/store';
import { type AppDeps, parseTrustProxy } from './http/app';

type ApiSettings = Pick<AppDeps, 'trustProxy' | 'idempotency' | 'apiKeyDays' | 'documentStore' | 'documentReaders'>;

export function loadApiSettings(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const e = cleanEnv(env, {
    REDRESS_TRUST_PROXY: str({ default: 'loopback', desc: 'express trust proxy: true, false, a hop count, or addresses/subnets (comma-separated)' }),
    REDRESS_IDEMPOTENCY_TTL_HOURS: num({ default: 24, desc: 'how long an Idempotency-Key is remembered' }),
    REDRESS_API_KEY_DAYS: num({ default: 90, desc: 'lifetime of a new API key unless it asks for another' }),
    REDRESS_API_KEY_MAX_DAYS: num({ default: 365, desc: 'the longest lifetime an API key may ask for' }),
  });
  if (!(e.REDRESS_IDEMPOTENCY_TTL_HOURS > 0)) throw new Error('REDRESS_IDEMPOTENCY_TTL_HOURS must be more than 0');
  if (!(e.REDRESS_API_KEY_DAYS >= 1 && e.REDRESS_API_KEY_DAYS <= e.REDRESS_API_KEY_MAX_DAYS) || !Number.isInteger(e.REDRESS_API_KEY_MAX_DAYS)) {
    throw new Error('REDRESS_API_KEY_DAYS must be at least 1 and at most REDRESS_API_KEY_MAX_DAYS (whole days)');
  }
  return {
    trustProxy: parseTrustProxy(e.REDRESS_TRUST_PROXY),
    idempotency: { ttlMs: e.REDRESS_IDEMPOTENCY_TTL_HOURS * 3_600_000 },
    apiKeyDays: { default: Math.floor(e.REDRESS_API_KEY_DAYS), max: e.REDRESS_API_KEY_MAX_DAYS },
    ...documentStoresFrom(env),
  };
}

const S3_REQUIRED = ['REDRESS_S3_BUCKET', 'REDRESS_S3_ACCESS_KEY_ID', 'REDRESS_S3_SECRET_ACCESS_KEY'] as const;

/**
 * Where new documents are kept (REDRESS_DOCUMENT_STORE: postgres, the default, or s3), and the stores rows may name.
 * The S3-compatible store is built whenever its bucket is set, even with postgres chosen, so documents kept there
 * under an earlier setting stay downloadable; PostgreSQL is always readable. Throws naming the variable at fault
 * (never a secret's value).
 */
export function documentStoresFrom(env: NodeJS.ProcessEnv = process.env): Pick<AppDeps, 'documentStore' | 'documentReaders'> {
  const e = cleanEnv(env, {
    REDRESS_DOCUMENT_STORE: str({ default: 'postgres', choices: ['postgres', 's3'], desc: 'where new documents are kept' }),
    REDRESS_S3_ENDPOINT: url({ default: undefined, desc: "the S3-compatible store's URL (MinIO and the like); unset: AWS S3" }),
    REDRESS_S3_BUCKET: str({ default: undefined, desc: 'the bucket documents are kept in' }),
    REDRESS_S3_REGION: str({ default: 'us-east-1' }),
    REDRESS_S3_ACCESS_KEY_ID: str({ default: undefined }),
    REDRESS_S3_SECRET_ACCESS_KEY: str({ default: undefined }),
    REDRESS_S3_FORCE_PATH_STYLE: bool({ default: undefined, desc: 'bucket in the path rather than the host name; default: when an endpoint is set' }),
  }, {
    reporter: ({ errors }) => {
      const wrong = Object.keys(errors);
      if (wrong.length) throw new Error(`document store settings: ${wrong.map((k) => `${k} is invalid (${errors[k as keyof typeof errors]?.message ?? 'invalid'})`).join('; ')}`);
    },
  });
  const set = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const s3Chosen = e.REDRESS_DOCUMENT_STORE === 's3';
  if (!s3Chosen && !set(e.REDRESS_S3_BUCKET)) return { documentStore: postgresDocumentStore, documentReaders: {} };
  const missing = S3_REQUIRED.filter((k) => !set(e[k]));
  if (missing.length) {
    throw new Error(`document store settings: ${missing.join(', ')} must be set ${s3Chosen ? 'when REDRESS_DOCUMENT_STORE is s3' : 'with REDRESS_S3_BUCKET'}`);
  }
  const s3 = s3DocumentStore({
    endpoint: set(e.REDRESS_S3_ENDPOINT), bucket: set(e.REDRESS_S3_BUCKET)!, region: e.REDRESS_S3_REGION,
    accessKeyId: set(e.REDRESS_S3_ACCESS_KEY_ID)!, secretAccessKey: set(e.REDRESS_S3_SECRET_ACCESS_KEY)!,
    ...(e.REDRESS_S3_FORCE_PATH_STYLE === undefined ? {} : { forcePathStyle: e.REDRESS_S3_FORCE_PATH_STYLE }),
  });
  const documentReaders: DocumentStores = { postgres: postgresDocumentStore, s3 };
  return { documentStore: s3Chosen ? s3 : postgresDocumentStore, documentReaders };
}
