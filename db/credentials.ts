/**
 * Queries on credentials that every API process must agree on: sign-in failures per account, revocation,
 * deactivation, and the purge of what has expired.
 */
import type { Knex } from 'knex';
import type { Db } from './connection';

/** How failed sign-ins slow an account down (see docs/security.md). */
export interface SignInBackoff {
  /** Failures in a row that are free; the next ones wait. */
  freeFailures: number;
  /** The first wait, doubled at each further failure. */
  firstWaitSeconds: number;
  /** The longest wait: never a lock-out. */
  maxWaitSeconds: number;
  /** A quiet account forgets its failures after this long. */
  forgetAfterSeconds: number;
}

export const SIGN_IN_BACKOFF: SignInBackoff = { freeFailures: 4, firstWaitSeconds: 1, maxWaitSeconds: 300, forgetAfterSeconds: 3600 };

/** Seconds an account waits after its `failures`-th failure in a row: 0 for the first four, then 1, 2, 4 … 300. */
export function waitAfterFailures(failures: number, rule: SignInBackoff = SIGN_IN_BACKOFF): number {
  if (failures <= rule.freeFailures) return 0;
  return Math.min(rule.maxWaitSeconds, rule.firstWaitSeconds * 2 ** Math.min(failures - rule.freeFailures - 1, 30));
}

export type SignInAttempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Takes one sign-in attempt for an account. The attempt counts as a failure from the start (and sets the wait that
 * failure earns), so concurrent guesses cannot all slip in before any is counted; a success clears it.
 */
export async function takeSignInAttempt(db: Db, account: string, rule: SignInBackoff = SIGN_IN_BACKOFF): Promise<SignInAttempt> {
  return db.transaction(async (trx) => {
    await trx('sign_in_failures').insert({ account, failures: 0, blocked_until: trx.fn.now(), last_attempt_at: trx.fn.now() })
      .onConflict('account').ignore();
    const row = await trx('sign_in_failures').where({ account }).forUpdate().first(
      'failures',
      trx.raw('greatest(0, extract(epoch FROM blocked_until - now()))::float8 AS wait'),
      trx.raw('last_attempt_at < now() - make_interval(secs => ?) AS forgotten', [rule.forgetAfterSeconds]),
    ) as { failures: number; wait: number; forgotten: boolean };
    if (row.wait > 0) return { allowed: false as const, retryAfterSeconds: Math.max(1, Math.ceil(row.wait)) };
    const failures = row.forgotten ? 1 : row.failures + 1;
    await trx('sign_in_failures').where({ account }).update({
      failures, last_attempt_at: trx.fn.now(), blocked_until: trx.raw('now() + make_interval(secs => ?)', [waitAfterFailures(failures, rule)]),
    });
    return { allowed: true as const };
  });
}

export async function clearSignInFailures(db: Db | Knex.Transaction, account: string): Promise<void> {
  await db('sign_in_failures').where({ account }).delete();
}

/** Ends a user's sessions (all, or all but one); returns the token hashes ended. */
export async function endSessions(db: Db | Knex.Transaction, userId: string, keepTokenHash?: string): Promise<string[]> {
  const q = db('sessions').where({ user_id: userId });
  if (keepTokenHash) q.whereNot({ token_hash: keepTokenHash });
  return (await q.delete().returning('token_hash')).map((r: { token_hash: string }) => r.token_hash);
}

export interface ApiKeyRow {
  id: string;
  label: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

const keyColumns = (db: Db) => [
  'public_id AS id', 'label', 'user_id AS userId',
  db.raw(`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`),
  db.raw(`to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt"`),
  db.raw(`to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "revokedAt"`),
];

export async function listApiKeys(db: Db, userId: string): Promise<ApiKeyRow[]> {
  return db('api_keys').where({ user_id: userId }).orderBy('created_at', 'desc').orderBy('id', 'desc').select(keyColumns(db));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revokes a key by its public id (first revocation wins; revoking again changes nothing). `ownerId` limits it to
 * one user's keys. Returns the key and its hash, or null when there is no such key (for this owner).
 */
export async function revokeApiKey(db: Db, publicId: string, by: string, ownerId?: string): Promise<{ key: ApiKeyRow; keyHash: string } | null> {
  if (!UUID.test(publicId)) return null;
  return db.transaction(async (trx) => {
    const q = trx('api_keys').where({ public_id: publicId }).forUpdate();
    if (ownerId) q.where({ user_id: ownerId });
    const row = await q.first('key_hash', 'revoked_at');
    if (!row) return null;
    if (!row.revoked_at) await trx('api_keys').where({ public_id: publicId }).update({ revoked_at: trx.fn.now(), revoked_by: by });
    const key = await trx('api_keys').where({ public_id: publicId }).first(keyColumns(db)) as ApiKeyRow;
    return { key, keyHash: row.key_hash as string };
  });
}

/** Deactivates a user and ends their sessions; their keys stop working with them. Null for an unknown user. */
export async function deactivateUser(db: Db, userId: string, by: string): Promise<{ deactivatedAt: string } | null> {
  return db.transaction(async (trx) => {
    const row = await trx('users').where({ id: userId }).forUpdate().first('active');
    if (!row) return null;
    if (row.active) await trx('users').where({ id: userId }).update({ active: false, deactivated_at: trx.fn.now(), deactivated_by: by });
    await endSessions(trx, userId);
    const after = await trx('users').where({ id: userId })
      .first(trx.raw(`to_char(deactivated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "deactivatedAt"`));
    return { deactivatedAt: after.deactivatedAt as string };
  });
}

export interface Purged {
  idempotencyKeys: number;
  sessions: number;
  signInFailures: number;
}

/** Deletes what has expired: Idempotency-Keys, sessions, and failure counts an account has outlived. */
export async function purgeExpired(db: Db, rule: SignInBackoff = SIGN_IN_BACKOFF): Promise<Purged> {
  const idempotencyKeys = await db('idempotency_keys').where('expires_at', '<=', db.fn.now()).delete();
  const sessions = await db('sessions').where('expires_at', '<=', db.fn.now()).delete();
  const signInFailures = await db('sign_in_failures').where('blocked_until', '<=', db.fn.now())
    .where('last_attempt_at', '<', db.raw('now() - make_interval(secs => ?)', [rule.forgetAfterSeconds])).delete();
  return { idempotencyKeys, sessions, signInFailures };
}
