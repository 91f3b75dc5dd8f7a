/** The API's settings from the environment (shared by npm run api and npm start), checked once at start-up. */
import { cleanEnv, num, str } from 'envalid';
import { type AppDeps, parseTrustProxy } from './http/app';

export function loadApiSettings(env: NodeJS.ProcessEnv = process.env): Pick<AppDeps, 'trustProxy' | 'idempotency' | 'apiKeyDays'> {
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
  };
}
