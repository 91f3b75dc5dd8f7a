/**
 * Users, passwords, sessions and API keys. Passwords use scrypt (memory-hard, from node:crypto); session tokens
 * and API keys are random and stored only as SHA-256 hashes, so a copy of the database opens no account.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { issuesOf, nonEmptyText } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { type ApiKeyRow, clearSignInFailures, deactivateUser, endSessions, revokeApiKey, takeSignInAttempt } from '../../db/credentials';
import { InvalidInput } from '../errors';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
export const ROLES = ['administrator', 'advocate', 'auditor', 'investigator', 'prosecutor', 'documenting_organisation', 'provider'] as const;
export type UserRole = (typeof ROLES)[number];
export interface User {
  id: string;
  name: string;
  role: UserRole;
  advocateId: string | null;
  /** An investigator's or a prosecutor's body (incident_bodies): they see the incidents it holds. */
  bodyId: string | null;
  /** A documenting organisation's user: they see the incidents it recorded. */
  organisationId: string | null;
  /** For a provider's user: the provider whose referrals they see (and nothing else). */
  providerId: string | null;

}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }; // 32 MiB per hash
export const SESSION_HOURS = 8;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(expected, actual);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const newUserSchema = z.object({
  id: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'must be 2-64 lower-case letters, digits, dots, dashes or underscores'),
  name: nonEmptyText(120),
  role: z.enum(ROLES),
  password: z.string().min(12, 'must be at least 12 characters').max(200, 'must be at most 200 characters'),
  advocateId: z.string().optional(),
  bodyId: z.string().optional(),
  organisationId: z.string().optional(),
  providerId: z.string().optional(),
}).strict().superRefine((u, ctx) => {
  // Each scoped role is tied to what it sees: an advocate, a body (investigators, prosecutors), an organisation or a provider.
  const tie = (field: 'advocateId' | 'bodyId' | 'organisationId' | 'providerId', needed: boolean, who: string) => {
    if (needed !== Boolean(u[field])) ctx.addIssue({ code: 'custom', path: [field], message: `is required for ${who}, and only for them` });
  };
  tie('advocateId', u.role === 'advocate', 'advocates');
  tie('bodyId', u.role === 'investigator' || u.role === 'prosecutor', 'investigators and prosecutors');
  tie('organisationId', u.role === 'documenting_organisation', 'documenting organisations');
  tie('providerId', u.role === 'provider', 'providers');
});

export async function createUser(db: Db, input: unknown): Promise<User> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInput(issuesOf(parsed.error));
  const u = parsed.data;
  if (u.advocateId && !(await db('advocates').where({ id: u.advocateId }).first('id'))) {
    throw new InvalidInput([{ field: 'advocateId', rule: `unknown advocate ${u.advocateId}` }]);
  }
  if (u.bodyId) {
    // An investigator belongs to an investigating body, a prosecutor to a prosecuting office.
    const kind = u.role === 'investigator' ? 'investigating' : 'prosecuting';
    if (!(await db('incident_bodies').where({ id: u.bodyId, kind }).first('id'))) throw new InvalidInput([{ field: 'bodyId', rule: `unknown ${kind} body ${u.bodyId}` }]);
  }
  if (u.organisationId && !(await db('documenting_organisations').where({ id: u.organisationId }).first('id'))) {
    throw new InvalidInput([{ field: 'organisationId', rule: `unknown documenting organisation ${u.organisationId}` }]);
  }
  if (u.providerId && !(await db('providers').where({ id: u.providerId }).first('id'))) {
    throw new InvalidInput([{ field: 'providerId', rule: `unknown provider ${u.providerId}` }]);
  }
  const inserted = await db('users').insert({
    id: u.id, name: u.name, role: u.role, advocate_id: u.advocateId ?? null, body_id: u.bodyId ?? null, organisation_id: u.organisationId ?? null,
    provider_id: u.providerId ?? null, password_hash: await hashPassword(u.password),
  }).onConflict('id').ignore().returning('id');
  if (inserted.length === 0) throw new InvalidInput([{ field: 'id', rule: `user ${u.id} already exists` }]);
  return {
    id: u.id, name: u.name, role: u.role, advocateId: u.advocateId ?? null, bodyId: u.bodyId ?? null, organisationId: u.organisationId ?? null,
    providerId: u.providerId ?? null,
  };
}

const toUser = (row: { id: string; name: string; role: UserRole; advocate_id: string | null; body_id?: string | null; organisation_id?: string | null; provider_id?: string | null }): User =>
  ({ id: row.id, name: row.name, role: row.role, advocateId: row.advocate_id, bodyId: row.body_id ?? null, organisationId: row.organisation_id ?? null, providerId: row.provider_id ?? null });

export type SignInResult =
  | { kind: 'signed-in'; token: string; expiresAt: Date; user: User }
  | { kind: 'refused' }
  | { kind: 'throttled'; retryAfterSeconds: number };

/** A dummy hash for unknown users, so the answer takes as long either way. */
const NO_PASSWORD = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * Signs in. Refused for an unknown user, a wrong password or an inactive account (the caller cannot tell which);
 * throttled while the account waits out its failures (docs/security.md), without looking at the password.
 */
export async function signIn(db: Db, userId: string, password: string): Promise<SignInResult> {
  const attempt = await takeSignInAttempt(db, userId);
  if (!attempt.allowed) return { kind: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
  const row = await db('users').where({ id: userId, active: true }).first();
  const ok = await verifyPassword(password, row?.password_hash ?? NO_PASSWORD);
  if (!row || !ok) return { kind: 'refused' };
  await clearSignInFailures(db, userId);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await db('sessions').insert({ token_hash: sha256(token), user_id: row.id, expires_at: expiresAt });
  return { kind: 'signed-in', token, expiresAt, user: toUser(row) };
}

export async function signOut(db: Db, token: string): Promise<void> {
  recentChecks.get(db)?.delete(sha256(token));
  await db('sessions').where({ token_hash: sha256(token) }).delete();
}

/** Ends every session of the user, this one included; other API processes follow within AUTH_CACHE_MS. */
export async function signOutEverywhere(db: Db, userId: string): Promise<number> {
  const ended = await endSessions(db, userId);
  forgetCredentials(db, ended);
  return ended.length;
}

/**
 * Changes a password: the current one is required (and counts as a sign-in attempt, so a stolen session cannot
 * guess it quickly); every other session of the user ends.
 */
export async function changePassword(db: Db, user: User, credential: string, current: string, next: string): Promise<
  { kind: 'changed'; sessionsEnded: number } | { kind: 'refused' } | { kind: 'throttled'; retryAfterSeconds: number }> {
  const attempt = await takeSignInAttempt(db, user.id);
  if (!attempt.allowed) return { kind: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
  const row = await db('users').where({ id: user.id, active: true }).first('password_hash');
  if (!row || !(await verifyPassword(current, row.password_hash))) return { kind: 'refused' };
  const hash = await hashPassword(next);
  const ended = await db.transaction(async (trx) => {
    await trx('users').where({ id: user.id }).update({ password_hash: hash, password_changed_at: trx.fn.now() });
    await clearSignInFailures(trx, user.id);
    return endSessions(trx, user.id, credential.startsWith('rk_') ? undefined : sha256(credential));
  });
  forgetCredentials(db, ended);
  return { kind: 'changed', sessionsEnded: ended.length };
}

/** API keys live 90 days unless asked otherwise, and at most a year. */
export const API_KEY_DAYS = { default: 90, max: 365 };

export interface IssuedApiKey {
  id: string;
  /** The secret: shown once, stored only as its hash. */
  key: string;
  label: string;
  expiresAt: string;
}

export async function issueApiKey(db: Db, userId: string, label: string, expiresInDays: number = API_KEY_DAYS.default): Promise<IssuedApiKey> {
  const key = `rk_${randomBytes(32).toString('base64url')}`;
  const [row] = await db('api_keys')
    .insert({ key_hash: sha256(key), user_id: userId, label, expires_at: db.raw('now() + make_interval(days => ?)', [expiresInDays]) })
    .returning(['public_id', 'expires_at']);
  return { id: row.public_id, key, label, expiresAt: new Date(row.expires_at).toISOString() };
}

export async function createApiKey(db: Db, userId: string, label: string, expiresInDays?: number): Promise<string> {
  return (await issueApiKey(db, userId, label, expiresInDays)).key;
}

/** Revokes a key (an administrator: any; anyone else: their own); refused at once here, elsewhere within AUTH_CACHE_MS. */
export async function revokeKey(db: Db, publicId: string, by: User): Promise<ApiKeyRow | null> {
  const revoked = await revokeApiKey(db, publicId, by.id, by.role === 'administrator' ? undefined : by.id);
  if (!revoked) return null;
  forgetCredentials(db, [revoked.keyHash]);
  return revoked.key;
}

export async function deactivate(db: Db, userId: string, by: string): Promise<{ deactivatedAt: string } | null> {
  const done = await deactivateUser(db, userId, by);
  if (done) forgetUser(db, userId);
  return done;
}

/**
 * Successful credential checks are kept for a few seconds per API process, so a page's burst of requests costs one
 * look-up. Signing out, signing out everywhere, revoking a key and deactivating a user take effect at once in the
 * process that did it; every other API process refuses the credential within AUTH_CACHE_MS (docs/security.md).
 */
export const AUTH_CACHE_MS = 10_000;
const AUTH_CACHE_ENTRIES = 10_000;
const recentChecks = new WeakMap<Db, Map<string, { user: User; until: number }>>();

function forgetCredentials(db: Db, hashes: string[]): void {
  const checks = recentChecks.get(db);
  for (const hash of hashes) checks?.delete(hash);
}

function forgetUser(db: Db, userId: string): void {
  const checks = recentChecks.get(db);
  for (const [hash, check] of checks ?? []) if (check.user.id === userId) checks!.delete(hash);
}

/** The user behind a bearer credential: a session token or an API key, unexpired and unrevoked, of an active user. */
export async function authenticate(db: Db, credential: string): Promise<User | null> {
  const hash = sha256(credential);
  let checks = recentChecks.get(db);
  if (!checks) recentChecks.set(db, (checks = new Map()));
  const now = Date.now();
  const known = checks.get(hash);
  if (known && known.until > now) return known.user;
  checks.delete(hash);
  const row = credential.startsWith('rk_')
    ? await db('api_keys').join('users', 'users.id', 'api_keys.user_id').where({ key_hash: hash, 'users.active': true }).whereNull('revoked_at')
      .where('api_keys.expires_at', '>', db.fn.now()).first('users.id', 'users.name', 'users.role', 'users.advocate_id', 'users.body_id', 'users.organisation_id', 'users.provider_id', 'api_keys.expires_at')
    : await db('sessions').join('users', 'users.id', 'sessions.user_id').where({ token_hash: hash, 'users.active': true })
      .where('sessions.expires_at', '>', db.fn.now()).first('users.id', 'users.name', 'users.role', 'users.advocate_id', 'users.body_id', 'users.organisation_id', 'users.provider_id', 'sessions.expires_at');
  if (!row) return null;
  const user = toUser(row);
  const expires = new Date(row.expires_at).getTime();
  if (checks.size >= AUTH_CACHE_ENTRIES) checks.delete(checks.keys().next().value!);
  checks.set(hash, { user, until: Math.min(now + AUTH_CACHE_MS, expires) });
  return user;
}
