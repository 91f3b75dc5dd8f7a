/**
 * Idempotency-Key for POSTs: the first response to a key is stored; the same key with the same body gets the
 * same response again without repeating the command; the same key with another body is refused (422).
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../../db/connection';
import { HttpProblem } from './problem';

export function idempotency(db: Db): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key || !req.user) return next();
    if (!/^[A-Za-z0-9._:-]{8,128}$/.test(key)) return next(new HttpProblem(422, 'Invalid input', 'Idempotency-Key must be 8-128 letters, digits or . _ : -', [{ field: 'Idempotency-Key', rule: 'must be 8-128 letters, digits or . _ : -' }]));
    const requestHash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    const userId = req.user.id;
    db('idempotency_keys').where({ user_id: userId, key }).first().then((stored) => {
      if (stored) {
        if (stored.request_hash !== requestHash) {
          return next(new HttpProblem(422, 'Invalid input', 'this Idempotency-Key was used with a different request', [{ field: 'Idempotency-Key', rule: 'was used with a different request' }]));
        }
        res.set('Idempotent-Replayed', 'true');
        // A stored refusal is replayed as what it was: a problem document.
        if (stored.status >= 400) res.type('application/problem+json');
        return res.status(stored.status).json(stored.response);
      }
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        if (res.statusCode < 500) {
          // Kept before answering; a concurrent first use of the same key keeps the first one stored.
          db('idempotency_keys').insert({ user_id: userId, key, request_hash: requestHash, status: res.statusCode, response: JSON.stringify(body) })
            .onConflict(['user_id', 'key']).ignore().then(() => json(body), () => json(body));
          return res;
        }
        return json(body);
      };
      next();
    }, next);
  };
}
