import { z } from 'zod';
import { signIn, signOut } from '../../access/users';
import { HttpProblem } from '../problem';
import { type RouteContext, defineRoute } from '../route';

export function sessionRoutes(ctx: RouteContext) {
  const { db } = ctx;
  defineRoute(ctx, { method: 'post', path: '/api/session', tag: 'session', public: true, summary: 'Sign in; returns a bearer token that expires',
    body: z.object({ userId: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict(),
    success: { status: 201, description: 'a session token' },
    handler: async (req) => {
      const session = await signIn(db, req.valid.body.userId, req.valid.body.password);
      if (!session) throw new HttpProblem(401, 'Unauthorized', 'wrong user or password');
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: session.user };
    } });
  defineRoute(ctx, { method: 'get', path: '/api/session', tag: 'session', roles: ['administrator', 'advocate', 'auditor'], summary: 'Who am I',
    handler: async (req) => ({ user: req.user }) });
  defineRoute(ctx, { method: 'delete', path: '/api/session', tag: 'session', roles: ['administrator', 'advocate', 'auditor'], summary: 'Sign out',
    handler: async (req) => { await signOut(db, String(req.get('authorization')).replace(/^Bearer\s+/i, '')); return { signedOut: true }; } });
}
