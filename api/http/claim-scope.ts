/** Who may reach a claim: every endpoint that takes a claim id asks here first. */
import type { Request } from 'express';
import type { Db } from '../../db/connection';
import type { User } from '../access/users';
import { HttpProblem, notFound } from './problem';
import { param } from './route';

/**
 * The claim if this user may see it; 404 otherwise, whatever the endpoint, so an advocate cannot even tell that
 * another's claim exists. Only then is the role checked (403 on one's own claim).
 */
export async function claimFor(db: Db, user: User, claimId: string, allowed: readonly string[]): Promise<{ id: string; advocate_id: string }> {
  const q = db('claims').where({ id: claimId });
  if (user.role === 'advocate') q.where({ advocate_id: user.advocateId });
  // Providers reach no claim: they see only their referrals (api/http/routes/provider.ts).
  if (user.role === 'provider') q.whereRaw('false');
  const row = await q.first('id', 'advocate_id');
  if (!row) throw notFound('claim');
  if (!allowed.includes(user.role)) throw new HttpProblem(403, 'Forbidden', `this needs the role ${allowed.join(' or ')}`);
  return row;
}

/** Scope, then role, before the body is read or validated: one look-up per request (RouteDef.authorize). */
export const claimScope = (db: Db, allowed: readonly string[]) => async (req: Request) => { await claimFor(db, req.user!, param(req, 'id'), allowed); };
