/**
 * The HTTP API (express 5). Commands go to workflows and return their verdict; reads come from PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { PayloadCodec } from '@temporalio/common';
import express, { type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import pino, { type Logger } from 'pino';
import pinoHttp from 'pino-http';
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { logPersonalDataRead } from '../../db/personal-data-reads';
import { LOG_REDACT } from '../../worker/log-redact';
import { isEncrypted } from '../../worker/payload-codec';
import { createClaimService } from '../claims/service';
import { createEscalationService } from '../escalation/service';
import { createIncidentService } from '../incident/service';
import { createImportService } from '../import/service';
import type { LinkSigner } from '../../worker/acknowledgment-link';
import { acknowledgmentRoutes } from './routes/acknowledgments';

import { createReferralService } from '../referral/service';
import { requireUser } from './auth';
import { type IdempotencyOptions, idempotency } from './idempotency';
import { problemHandler, sendProblem } from './problem';
import type { RouteContext } from './route';
import { adminRoutes } from './routes/admin';
import { claimRoutes } from './routes/claims';
import { credentialRoutes } from './routes/credentials';
import { incidentRoutes } from './routes/incidents';
import { publicRoutes } from './routes/public';
import { releaseRoutes } from './routes/releases';
import { createReleaseService } from '../release/service';
import type { ApiMetrics } from './metrics';
import { reminderRoutes } from './routes/reminders';
import { reportingRoutes } from './routes/reports';
import { documentRoutes } from './routes/documents';
import type { DocumentStore, DocumentStores } from '../documents/store';
import { providerRoutes } from './routes/provider';
import { referralListRoutes } from './routes/referrals';

import { sessionRoutes } from './routes/session';

// Patches zod's prototype, so the domain's schemas (created without it, and bundled into workflows without it)
// can be described in the OpenAPI document.
extendZodWithOpenApi(z);

export interface AppDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  logger?: Logger;
  /** Requests per minute per address (sign-in has its own, stricter limit). */
  rateLimitPerMinute?: number;
  /** With a codec, /codec/{encode,decode} serve the Temporal UI (signed-in administrators and auditors). */
  payloadCodec?: PayloadCodec;
  /** The Temporal UI's origin, allowed to call the codec endpoint from the browser. */
  codecCorsOrigin?: string;
  /** Which proxies' X-Forwarded-For to believe (express 'trust proxy'); default loopback. See parseTrustProxy. */
  trustProxy?: TrustProxy;
  /** Idempotency-Key lifetime, wait and lease (api/http/idempotency.ts). */
  idempotency?: Partial<IdempotencyOptions>;
  /** Verifies acknowledgment links (the worker signs them with the same key); without it those pages answer 404. */
  linkSigner?: LinkSigner;
  /** API key lifetime in days: the default and the most a key may ask for. */
  apiKeyDays?: { default: number; max: number };
  /** Prometheus metrics (api/http/metrics.ts): every request is counted; served on a port of their own. */
  metrics?: ApiMetrics;
  /** Where new documents are kept (api/documents/store.ts); default PostgreSQL. */
  documentStore?: DocumentStore;
  /** The other stores documents kept under an earlier setting may be in (PostgreSQL is always read). */
  documentReaders?: DocumentStores;
}

/** express's 'trust proxy': true/false, a number of hops, or addresses, subnets and names (loopback, uniquelocal…). */
export type TrustProxy = boolean | number | string;

/** REDRESS_TRUST_PROXY as express understands it: "true", "false", a hop count, or a comma-separated list. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (v === '') return 'loopback';
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** Personal data and secrets never reach the logs (one list for the API and the worker). */
export { LOG_REDACT };

export function createApp(deps: AppDeps): { app: Express; openapi: () => object } {
  const logger = deps.logger ?? pino({ level: 'info', redact: LOG_REDACT });
  const app = express();
  app.disable('x-powered-by');
  // Decides req.ip, which the per-address limits count: set it to the proxies in front of the API, and no wider.
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  if (deps.metrics) app.use(deps.metrics.http);
  app.use(helmet());
  app.use(pinoHttp({
    logger, genReqId: (req, res) => {
      const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // URLs carry claim ids, never personal data; bodies are not logged.
    // An acknowledgment link's token opens its page: it is not logged either.
    serializers: { req: (req) => ({ id: req.id, method: req.method, url: String(req.url).replace(/(\/api\/acknowledgments\/)[^/?#]+/, '$1[token]') }) },
  }));
  // No body parser here: each route reads its own body after sign-in (api/http/route.ts).
  app.use('/api', rateLimit({ windowMs: 60_000, limit: deps.rateLimitPerMinute ?? 600, standardHeaders: 'draft-7', legacyHeaders: false,
    handler: (_req, res) => sendProblem(res, 429, 'Too Many Requests', 'slow down and try again in a minute') }));
  app.use('/api/session', rateLimit({ windowMs: 60_000, limit: 20, skip: (req) => req.method !== 'POST', standardHeaders: 'draft-7', legacyHeaders: false,
    handler: (_req, res) => sendProblem(res, 429, 'Too Many Requests', 'too many sign-in attempts; wait a minute') }));

  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'session token from POST /api/session, or an API key (rk_…)' });
  const router = express.Router();
  const ctx: RouteContext = { router, registry, db: deps.db, afterAuth: [idempotency(deps.db, deps.idempotency)] };
  const claims = createClaimService({ client: deps.client, db: deps.db, taskQueue: deps.taskQueue });
  const escalation = createEscalationService({ client: deps.client, db: deps.db });
  const referrals = createReferralService({ client: deps.client, db: deps.db });
  const incidents = createIncidentService({ client: deps.client, db: deps.db, taskQueue: deps.taskQueue });
  sessionRoutes(ctx);
  credentialRoutes(ctx, deps.apiKeyDays);
  claimRoutes(ctx, { claims, referrals });
  adminRoutes(ctx, { escalation, referrals, claims, imports: createImportService({ client: deps.client, db: deps.db, taskQueue: deps.taskQueue }) });
  incidentRoutes(ctx, { incidents, referrals });
  const releases = createReleaseService({ client: deps.client, db: deps.db, taskQueue: deps.taskQueue });
  releaseRoutes(ctx, releases);
  publicRoutes(ctx, releases);
  reminderRoutes(ctx);
  reportingRoutes(ctx);
  documentRoutes(ctx, { claims, store: deps.documentStore, readers: deps.documentReaders });
  providerRoutes(ctx, { referrals });
  referralListRoutes(ctx);
  acknowledgmentRoutes(ctx, { client: deps.client, signer: deps.linkSigner });

  const openapi = () => new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Redress API', version: '0.1.0', description: 'Money in integer minor units (KES cents) with an explicit currency; dates ISO 8601. Errors are application/problem+json.' },
    servers: [{ url: '/' }],
  });
  let document: object | null = null;
  app.get('/openapi.json', (_req, res) => { document ??= openapi(); res.json(document); });
  app.get('/docs', (_req, res) => { document ??= openapi(); res.type('html').send(docsPage(document as OpenApiDoc)); });
  if (deps.payloadCodec) mountCodecEndpoint(app, deps.db, deps.payloadCodec, deps.codecCorsOrigin);
  app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/ready', async (_req, res) => {
    // A probe answers promptly: each dependency gets two seconds.
    const within = <T>(what: string, p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within 2 s`)), 2_000).unref())]);
    try {
      await within('PostgreSQL', deps.db.raw('select 1'));
      await within('Temporal', deps.client.connection.workflowService.getSystemInfo({}));
      const pollers = await within('Temporal', workersPolling(deps.client, deps.taskQueue));
      if (pollers === 0) throw new Error(`no worker is polling task queue ${deps.taskQueue} in namespace ${deps.client.options.namespace}`);
      res.json({ status: 'ready', workersPolling: pollers });
    } catch (err) {
      sendProblem(res, 503, 'Service Unavailable', `not ready: ${(err as Error).message}`);
    }
  });
  app.use(router);
  // The pages: static files that call the API (no inline scripts, so the default CSP holds).
  app.use(express.static(process.env.REDRESS_WEB_DIR ?? join(__dirname, '../../web'), { extensions: ['html'], index: 'index.html' }));
  app.use((req, res) => sendProblem(res, 404, 'Not Found', `no route ${req.method} ${req.path}`));
  app.use(problemHandler(logger));
  return { app, openapi };
}

/** Workers that polled the task queue for workflow tasks in the last two minutes (a live poll lasts up to ~70 s). */
async function workersPolling(client: Client, taskQueue: string): Promise<number> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace, taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const recent = Date.now() - 120_000;
  return (pollers ?? []).filter((p) => p.lastAccessTime?.seconds && Number(p.lastAccessTime.seconds) * 1000 >= recent).length;
}

/**
 * Temporal's remote codec protocol: { payloads: [{ metadata: { key: base64 }, data: base64 }] } in and out. Lets
 * the Temporal UI show decrypted payloads to signed-in administrators and auditors, and nobody else. A decode is a
 * read of personal data, logged like one; auditors read but do not write (encode is for administrators); and only
 * encrypted payloads are decoded: a plain one is refused rather than echoed, so the endpoint cannot be used to
 * pass anything off as decrypted.
 */
const CODEC_COOKIE = 'redress_codec';

function mountCodecEndpoint(app: Express, db: Db, codec: PayloadCodec, corsOrigin?: string): void {
  type WirePayload = { metadata?: Record<string, string>; data?: string };
  const fromWire = (p: WirePayload) => ({
    metadata: Object.fromEntries(Object.entries(p?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64')])),
    data: Buffer.from(String(p?.data ?? ''), 'base64'),
  });
  const toWire = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  });
  app.use('/codec', (req, res, next) => {
    if (corsOrigin) {
      res.set({ 'Access-Control-Allow-Origin': corsOrigin, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Headers': 'authorization, content-type, x-namespace', 'Access-Control-Allow-Methods': 'POST, DELETE, OPTIONS' });
      if (req.method === 'OPTIONS') { res.status(204).end(); return; }
    }
    next();
  });
  // The Temporal UI cannot send Redress credentials itself (it passes only its own OIDC token): with
  // TEMPORAL_CODEC_INCLUDE_CREDENTIALS it sends cookies instead. A signed-in administrator or auditor gets one here,
  // holding their own session token, HttpOnly, Secure, SameSite=Lax (so only same-site pages send it) and sent to
  // /codec alone; it ends with the session, or with DELETE.
  app.post('/codec/session', requireUser(db, 'administrator', 'auditor'), (req, res) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')![1]!;
    res.cookie(CODEC_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'lax', path: '/codec', maxAge: 12 * 3_600_000 });
    res.status(204).end();
  });
  app.delete('/codec/session', (_req, res) => { res.clearCookie(CODEC_COOKIE, { path: '/codec', httpOnly: true, secure: true, sameSite: 'lax' }); res.status(204).end(); });
  const fromCookie = (req: express.Request, _res: express.Response, next: express.NextFunction) => {
    const cookie = (req.get('cookie') ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${CODEC_COOKIE}=`));
    if (!req.get('authorization') && cookie) req.headers.authorization = `Bearer ${decodeURIComponent(cookie.slice(CODEC_COOKIE.length + 1))}`;
    next();
  };
  const roles = { encode: ['administrator'], decode: ['administrator', 'auditor'] } as const;
  for (const op of ['encode', 'decode'] as const) {
    app.post(`/codec/${op}`, fromCookie, requireUser(db, ...roles[op]), express.json({ limit: '200kb' }), async (req, res) => {
      const payloads = (req.body as { payloads?: WirePayload[] } | undefined)?.payloads;
      if (!Array.isArray(payloads) || payloads.length > 1000) return sendProblem(res, 422, 'Invalid input', 'payloads must be an array of at most 1000', [{ field: 'payloads', rule: 'must be an array of at most 1000' }]);
      const input = payloads.map(fromWire);
      if (op === 'decode') {
        const plain = input.flatMap((p, i) => (isEncrypted(p) ? [] : [{ field: `payloads[${i}]`, rule: `is not encrypted (encoding ${p.metadata.encoding?.toString().slice(0, 40) || 'missing'}); only encrypted payloads are decoded here` }]));
        if (plain.length) return sendProblem(res, 422, 'Invalid input', `${plain.map((p) => p.field).join(', ')} ${plain.length === 1 ? 'is' : 'are'} not encrypted`, plain);
      }
      let out: Awaited<ReturnType<PayloadCodec['decode']>>;
      try {
        out = await codec[op](input);
      } catch (err) {
        return sendProblem(res, 422, 'Invalid input', `cannot ${op}: ${(err as Error).message}`);
      }
      if (op === 'decode') {
        // Logged before anything is shown: a read that cannot be logged is not served.
        const namespace = req.get('x-namespace')?.slice(0, 200) ?? null;
        await logPersonalDataRead(db, { userId: req.user!.id, claimId: null, what: 'temporal payload decode', details: { namespace, payloads: out.length } });
      }
      res.json({ payloads: out.map(toWire) });
    });
  }
}

type OpenApiDoc = { paths: Record<string, Record<string, { summary?: string; tags?: string[]; security?: unknown[] }>> };

function docsPage(doc: OpenApiDoc): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) =>
    `<tr><td>${esc(op.tags?.[0] ?? '')}</td><td><code>${method.toUpperCase()}</code></td><td><code>${esc(path)}</code></td><td>${esc(op.summary ?? '')}</td><td>${op.security ? 'sign-in' : 'public'}</td></tr>`));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Redress API</title><style>body{font-family:system-ui,sans-serif;margin:1rem;line-height:1.4}table{border-collapse:collapse;width:100%}td,th{border:1px solid #767676;padding:.3rem;text-align:left;vertical-align:top}</style></head>
<body><main><h1>Redress API</h1><p>The machine-readable document is at <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Money is in KES cents; errors are <code>application/problem+json</code>.</p>
<table><thead><tr><th scope="col">Area</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What it does</th><th scope="col">Access</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></main></body></html>`;
}
