/**
 * The signed, expiring link in every reminder to the State. The token names the reminder and its expiry and is
 * signed with HMAC-SHA256 under a key the database never holds (REDRESS_LINK_KEY, or the local key `npm start`
 * keeps beside its data), so a copy of the database forges no link and a guessed reminder id opens nothing.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LinkSigner {
  sign(reminderId: string, expiresAtMs: number): string;
  /** The reminder a token names, or why it opens nothing. */
  verify(token: string, nowMs?: number): { ok: true; reminderId: string; expiresAtMs: number } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };
}

const TOKEN = /^(\d{1,18})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function createLinkSigner(key: Buffer): LinkSigner {
  if (key.length < 32) throw new Error('REDRESS_LINK_KEY must hold at least 32 bytes (base64)');
  const mac = (reminderId: string, expSec: string) => createHmac('sha256', key).update(`redress-ack-v1:${reminderId}:${expSec}`).digest();
  return {
    sign(reminderId, expiresAtMs) {
      const exp = String(Math.floor(expiresAtMs / 1000));
      return `${reminderId}.${exp}.${mac(reminderId, exp).toString('base64url')}`;
    },
    verify(token, nowMs = Date.now()) {
      const m = TOKEN.exec(token);
      if (!m) return { ok: false, reason: 'malformed' };
      const [, reminderId, exp, sig] = m as unknown as [string, string, string, string];
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(reminderId, exp);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
      if (Number(exp) * 1000 <= nowMs) return { ok: false, reason: 'expired' };
      return { ok: true, reminderId, expiresAtMs: Number(exp) * 1000 };
    },
  };
}

/** How long a link opens its page. */
export const LINK_DAYS = 30;

export function localLinkKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.REDRESS_DATA_DIR ?? '.redress-data', 'link-key');
}

/** The signer from REDRESS_LINK_KEY (base64, 32 bytes or more) or `npm start`'s local key file; undefined without either. */
export function linkSignerFrom(env: NodeJS.ProcessEnv = process.env): LinkSigner | undefined {
  const spec = env.REDRESS_LINK_KEY ?? (existsSync(localLinkKeyFile(env)) ? readFileSync(localLinkKeyFile(env), 'utf8').trim() : undefined);
  return spec ? createLinkSigner(Buffer.from(spec, 'base64')) : undefined;
}

export function ensureLocalLinkKey(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.REDRESS_LINK_KEY && !existsSync(localLinkKeyFile(env))) writeFileSync(localLinkKeyFile(env), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
}

/** The worker's links setting: the signer and the address of the pages (REDRESS_PUBLIC_URL), when a key is set. */
export function linksFrom(env: NodeJS.ProcessEnv = process.env): { links?: { signer: LinkSigner; baseUrl: string } } {
  const signer = linkSignerFrom(env);
  return signer ? { links: { signer, baseUrl: env.REDRESS_PUBLIC_URL ?? 'http://127.0.0.1:3000' } } : {};
}
