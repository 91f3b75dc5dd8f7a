/** API keys (create, list without the secret, revoke) and deactivating a user. */
import { z } from 'zod';
import { listApiKeys } from '../../../db/credentials';
import { API_KEY_DAYS, AUTH_CACHE_MS, ROLES, deactivate, issueApiKey, revokeKey } from '../../access/users';
import { HttpProblem, notFound } from '../problem';
import { type RouteContext, defineRoute, param } from '../route';

/** Every signed-in user manages their own session and keys, whatever their role. */
const EVERYONE = ROLES;


export function credentialRoutes(ctx: RouteContext, keyDays: { default: number; max: number } = API_KEY_DAYS) {
  const { db } = ctx;
  defineRoute(ctx, { method: 'post', path: '/api/api-keys', tag: 'session', roles: [...EVERYONE], success: { status: 201, description: 'the key (shown once) and its id' },
    summary: `Create an API key for yourself (shown once; stored hashed; expires after ${keyDays.default} days unless expiresInDays says otherwise, at most ${keyDays.max})`,
    body: z.object({
      label: z.string().trim().min(1).max(80),
      expiresInDays: z.number().int('must be whole days').min(1, 'must be at least 1').max(keyDays.max, `must be at most ${keyDays.max}`).optional(),
    }).strict(),
    secretField: 'key',
    handler: async (req) => issueApiKey(db, req.user!.id, req.valid.body.label, req.valid.body.expiresInDays ?? keyDays.default) });
  defineRoute(ctx, { method: 'get', path: '/api/api-keys', tag: 'session', roles: [...EVERYONE],
    summary: "Your API keys, without their secrets (administrators: another user's with userId)",
    query: z.object({ userId: z.string().min(1).max(64).optional() }).strict(),
    handler: async (req) => {
      const userId = req.valid.query.userId ?? req.user!.id;
      if (userId !== req.user!.id && req.user!.role !== 'administrator') throw new HttpProblem(403, 'Forbidden', "only administrators may list another user's keys");
      return { items: await listApiKeys(db, userId) };
    } });
  defineRoute(ctx, { method: 'delete', path: '/api/api-keys/:keyId', tag: 'session', roles: [...EVERYONE],
    summary: `Revoke an API key (yours; administrators: anyone's). Refused at once by this API process, by every other within ${AUTH_CACHE_MS / 1000} s`,
    handler: async (req) => {
      const key = await revokeKey(db, param(req, 'keyId'), req.user!);
      if (!key) throw notFound('API key');
      return key;
    } });
  defineRoute(ctx, { method: 'post', path: '/api/users/:userId/deactivation', tag: 'administration', roles: ['administrator'],
    summary: `Deactivate a user: their sessions end and their keys stop working (every API process within ${AUTH_CACHE_MS / 1000} s)`,
    handler: async (req) => {
      const userId = param(req, 'userId');
      if (userId === req.user!.id) throw new HttpProblem(409, 'Conflict', 'you cannot deactivate yourself; ask another administrator');
      const done = await deactivate(db, userId, req.user!.id);
      if (!done) throw notFound('user');
      return { id: userId, active: false, deactivatedAt: done.deactivatedAt };
    } });
}
