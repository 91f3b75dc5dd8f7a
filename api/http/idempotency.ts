/**
 * Idempotency-Key for signed-in POSTs. The key is reserved (a unique row, 'in_progress') before the command runs,
 * scoped to the user and the route (method and route path). A second request with the key waits for the first,
 * up to `waitMs`, and gets its stored answer; past that it is refused with 409 while the first still runs. The
 * same key with another request is refused (422). A 5xx or a dropped request releases the reservation, so a retry
 * runs the command. An answer that holds a secret (a new API key) is never stored: a replay says it was shown once.
 * Keys expire after `ttlMs` and are purged by the maintenance schedule (worker/maintenance-schedule.ts).
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../../db/connection';
import { HttpProblem, sendProblem } from './problem';

export interface IdempotencyOptions {
  /** How long a key is remembered. Default 24 hours. */
  ttlMs: number;
  /** How long a repeat waits for the first request before a 409. Default 5 s. */
  waitMs: number;
  /** A reservation older than this is taken as abandoned (its process died) and may be taken over. Default 10 min. */
  leaseMs: number;
}

export const IDEMPOTENCY_DEFAULTS: IdempotencyOptions = { ttlMs: 24 * 3_600_000, waitMs: 5_000, leaseMs: 10 * 60_000 };
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const KEY_RULE = 'must be 8-128 letters, digits or . _ : -';

/** The route sets this to the name of the field that holds a secret in its answer. */
export const SECRET_FIELD = 'secretField';

interface Scope { user_id: string; route: string; key: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reserves the key, replacing an expired row or an abandoned reservation of the same request; true if now ours. */
async function reserve(db: Db, scope: Scope, requestHash: string, opts: IdempotencyOptions): Promise<boolean> {
  const { rows } = await db.raw(`
    INSERT INTO idempotency_keys (user_id, route, key, request_hash, state, reserved_until, expires_at)
    VALUES (:user_id, :route, :key, :requestHash, 'in_progress', now() + make_interval(secs => :lease), now() + make_interval(secs => :ttl))
    ON CONFLICT (user_id, route, key) DO UPDATE SET
      request_hash = EXCLUDED.request_hash, state = 'in_progress', status = NULL, response = NULL, content_type = NULL,
      reserved_until = EXCLUDED.reserved_until, expires_at = EXCLUDED.expires_at, created_at = now()
    WHERE idempotency_keys.expires_at <= now()
       OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.reserved_until <= now()
           AND idempotency_keys.request_hash = EXCLUDED.request_hash)
    RETURNING key`, { ...scope, requestHash, lease: opts.leaseMs / 1000, ttl: opts.ttlMs / 1000 });
  return rows.length === 1;
}

export function idempotency(db: Db, options: Partial<IdempotencyOptions> = {}): RequestHandler {
  const opts = { ...IDEMPOTENCY_DEFAULTS, ...options };
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined || !req.user) return next();
    if (!IDEMPOTENCY_KEY.test(key)) throw new HttpProblem(422, 'Invalid input', `Idempotency-Key ${KEY_RULE}`, [{ field: 'Idempotency-Key', rule: KEY_RULE }]);
    const scope: Scope = { user_id: req.user.id, route: `${req.method} ${String(req.route?.path ?? req.path)}`, key };
    const requestHash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');

    const deadline = Date.now() + opts.waitMs;
    while (!(await reserve(db, scope, requestHash, opts))) {
      const stored = await db('idempotency_keys').where(scope).first();
      if (!stored) continue; // released (its command failed) between the two statements: try to reserve again
      if (stored.request_hash !== requestHash) {
        throw new HttpProblem(422, 'Invalid input', 'this Idempotency-Key was used with a different request', [{ field: 'Idempotency-Key', rule: 'was used with a different request' }]);
      }
      if (stored.state === 'completed') {
        res.set('Idempotent-Replayed', 'true');
        if (stored.content_type) res.set('Content-Type', stored.content_type);
        res.status(stored.status).json(stored.response);
        return;
      }
      if (stored.state === 'secret_withheld') {
        res.set('Idempotent-Replayed', 'true');
        sendProblem(res, 409, 'Conflict', 'the request with this Idempotency-Key was done, and its answer held a secret that was shown once and is not stored; it is not shown again (revoke it and create another if it was lost)',
          [{ field: 'Idempotency-Key', rule: 'answer held a secret shown once' }], stored.response ? { firstAnswerWithoutSecret: stored.response } : undefined);
        return;
      }
      if (Date.now() >= deadline) {
        res.set('Retry-After', '1');
        throw new HttpProblem(409, 'Conflict', 'a request with this Idempotency-Key is still running; retry it shortly to get its answer', [{ field: 'Idempotency-Key', rule: 'is in use by a request still running' }]);
      }
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }

    // Ours: the answer is stored before it is sent; a 5xx, or a request that ends without an answer, releases the key.
    let settled = false;
    const release = () => db('idempotency_keys').where({ ...scope, state: 'in_progress' }).delete();
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      res.json = json;
      settled = true;
      const status = res.statusCode;
      const secretField = res.locals[SECRET_FIELD] as string | undefined;
      const kept = secretField && body && typeof body === 'object' ? Object.fromEntries(Object.entries(body).filter(([k]) => k !== secretField)) : body;
      const done = status >= 500 ? release() : db('idempotency_keys').where({ ...scope, state: 'in_progress' }).update({
        state: secretField ? 'secret_withheld' : 'completed', status, response: JSON.stringify(kept ?? null),
        content_type: res.get('Content-Type') ?? null, reserved_until: null,
      });
      // If the answer cannot be kept, the key is released rather than left blocking retries until its lease ends.
      done.then(() => json(body), () => release().then(() => json(body), () => json(body)));
      return res;
    };
    // Not on 'close': a client that gives up must not free the key while its command still runs.
    res.on('finish', () => { if (!settled) void release().catch(() => undefined); });
    next();
  };
}
