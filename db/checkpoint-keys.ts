/**
 * The Ed25519 keys of chain checkpoints, kept outside the database: whoever can change the database cannot sign.
 * REDRESS_CHECKPOINT_KEY holds the private key (PEM, or base64 of its PKCS#8 DER) where checkpoints are made;
 * REDRESS_CHECKPOINT_PUBLIC_KEY the public key(s) (PEM, or base64 of SPKI DER; several separated by commas, for
 * rotation) where they are verified. `npm start` keeps a local pair in its data folder when neither is set.
 */
import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirOf } from './embedded';

export function localCheckpointKeyFiles(env: NodeJS.ProcessEnv = process.env) {
  const dir = dataDirOf(env);
  return { privateKey: join(dir, 'checkpoint-key.pem'), publicKey: join(dir, 'checkpoint-public-key.pem') };
}

function ed25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${what} must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

export function parsePrivateKey(text: string): KeyObject {
  const t = text.trim();
  const key = t.startsWith('-----') ? createPrivateKey(t) : createPrivateKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'pkcs8' });
  return ed25519(key, 'REDRESS_CHECKPOINT_KEY');
}

/** One or more public keys: PEM blocks, or base64 SPKI DER separated by commas. */
export function parsePublicKeys(text: string): KeyObject[] {
  const pems = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g);
  const keys = pems ? pems.map((p) => createPublicKey(p))
    : text.split(',').map((s) => s.trim()).filter(Boolean).map((b64) => createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' }));
  return keys.map((k) => ed25519(k, 'REDRESS_CHECKPOINT_PUBLIC_KEY'));
}

/** A short name for a public key (SHA-256 of its SPKI DER), recorded beside each signature. */
export function publicKeyId(key: KeyObject): string {
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  return `ed25519:${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`;
}

/** The signing key: REDRESS_CHECKPOINT_KEY, else the local one of `npm start`; undefined when there is none. */
export function checkpointSigningKey(env: NodeJS.ProcessEnv = process.env): KeyObject | undefined {
  if (env.REDRESS_CHECKPOINT_KEY) return parsePrivateKey(env.REDRESS_CHECKPOINT_KEY);
  const file = localCheckpointKeyFiles(env).privateKey;
  return existsSync(file) ? parsePrivateKey(readFileSync(file, 'utf8')) : undefined;
}

/** The keys checkpoints are verified with: REDRESS_CHECKPOINT_PUBLIC_KEY, else the local public key of `npm start`. */
export function checkpointPublicKeys(env: NodeJS.ProcessEnv = process.env): KeyObject[] {
  if (env.REDRESS_CHECKPOINT_PUBLIC_KEY) return parsePublicKeys(env.REDRESS_CHECKPOINT_PUBLIC_KEY);
  const file = localCheckpointKeyFiles(env).publicKey;
  return existsSync(file) ? parsePublicKeys(readFileSync(file, 'utf8')) : [];
}

/** For `npm start`: a local key pair in the data folder, unless keys are configured or already there. */
export function ensureLocalCheckpointKeys(env: NodeJS.ProcessEnv = process.env): void {
  const files = localCheckpointKeyFiles(env);
  if (env.REDRESS_CHECKPOINT_KEY || existsSync(files.privateKey)) return;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(files.privateKey, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  writeFileSync(files.publicKey, publicKey.export({ format: 'pem', type: 'spki' }));
}
