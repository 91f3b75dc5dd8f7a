/** Signing in and out, everywhere at once, and changing one's password. */
import type { Response } from 'express';
import { z } from 'zod';
import { ROLES, changePassword, newUserSchema, signIn, signOut, signOutEverywhere } from '../../access/users';
import { HttpProblem } from '../problem';
import { type RouteContext, defineRoute } from '../route';

/** Every signed-in user manages their own session and keys, whatever their role. */
const EVERYONE = ROLES;


function throttled(res: Response, retryAfterSeconds: number): HttpProblem {
  res.set('Retry-After', String(retryAfterSeconds));
  return new HttpProblem(429, 'Too Many Requests', `too many failed sign-ins for this account; try again in ${retryAfterSeconds} s`);
}

const bearer = (authorization: string | undefined) => String(authorization).replace(/^Bearer\s+/i, '');

export function sessionRoutes(ctx: RouteContext) {
  const { db } = ctx;
  defineRoute(ctx, { method: 'post', path: '/api/session', tag: 'session', public: true, summary: 'Sign in; returns a bearer token that expires (shown once)',
    body: z.object({ userId: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict(),
    success: { status: 201, description: 'a session token' }, secretField: 'token',
    problems: { 401: 'wrong user or password', 429: 'too many attempts from this address, or failed sign-ins for this account (Retry-After)' },
    handler: async (req, res) => {
      const result = await signIn(db, req.valid.body.userId, req.valid.body.password);
      if (result.kind === 'throttled') throw throttled(res, result.retryAfterSeconds);
      if (result.kind === 'refused') throw new HttpProblem(401, 'Unauthorized', 'wrong user or password');
      return { token: result.token, expiresAt: result.expiresAt.toISOString(), user: result.user };
    } });
  defineRoute(ctx, { method: 'get', path: '/api/session', tag: 'session', roles: [...EVERYONE], summary: 'Who am I',
    handler: async (req) => ({ user: req.user }) });
  defineRoute(ctx, { method: 'delete', path: '/api/session', tag: 'session', roles: [...EVERYONE], summary: 'Sign out',
    handler: async (req) => { await signOut(db, bearer(req.get('authorization'))); return { signedOut: true }; } });
  defineRoute(ctx, { method: 'delete', path: '/api/sessions', tag: 'session', roles: [...EVERYONE],
    summary: 'Sign out everywhere: ends every session of yours, this one included (API keys are not sessions; revoke them apart)',
    handler: async (req) => ({ sessionsEnded: await signOutEverywhere(db, req.user!.id) }) });
  defineRoute(ctx, { method: 'post', path: '/api/session/password', tag: 'session', roles: [...EVERYONE],
    summary: 'Change your password (the current one required); every other session of yours ends',
    body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: newUserSchema.innerType().shape.password }).strict()
      .refine((b) => b.currentPassword !== b.newPassword, { message: 'must differ from the current password', path: ['newPassword'] }),
    problems: { 429: 'too many failed attempts for this account (Retry-After)' },
    handler: async (req, res) => {
      const { currentPassword, newPassword } = req.valid.body;
      const result = await changePassword(db, req.user!, bearer(req.get('authorization')), currentPassword, newPassword);
      if (result.kind === 'throttled') throw throttled(res, result.retryAfterSeconds);
      if (result.kind === 'refused') throw new HttpProblem(422, 'Invalid input', 'currentPassword: is not your current password', [{ field: 'currentPassword', rule: 'is not your current password' }]);
      return { changed: true, otherSessionsEnded: result.sessionsEnded };
    } });
}
