import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_FORMAT, type CheckpointDocument, signCheckpoint, verifyCheckpointSignature } from '../../db/checkpoint';
import {
  checkpointPublicKeys, checkpointSigningKey, ensureLocalCheckpointKeys, localCheckpointKeyFiles, parsePrivateKey, parsePublicKeys, publicKeyId,
} from '../../db/checkpoint-keys';

const document: CheckpointDocument = {
  format: CHECKPOINT_FORMAT, number: 7, takenAt: '2026-05-01T00:00:00.000Z', headsDigest: 'a'.repeat(64), previousDigest: null,
};

describe('checkpoint signatures', () => {
  const pair = generateKeyPairSync('ed25519');
  const privatePem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();

  it('when a key is given as PEM or as base64 DER, then it is the same key', () => {
    const fromDer = parsePrivateKey(pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'));
    expect(publicKeyId(fromDer)).toBe(publicKeyId(parsePrivateKey(privatePem)));
    const [derPublic] = parsePublicKeys(pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'));
    expect(publicKeyId(derPublic!)).toBe(publicKeyId(pair.publicKey));
    expect(publicKeyId(pair.privateKey)).toBe(publicKeyId(pair.publicKey));
  });

  it('when a key is not Ed25519, then it is refused by name', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => parsePrivateKey(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow('REDRESS_CHECKPOINT_KEY must be an Ed25519 key, not rsa');
    expect(() => parsePublicKeys(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString())).toThrow(/REDRESS_CHECKPOINT_PUBLIC_KEY must be an Ed25519 key/);
  });

  it('when a checkpoint is signed, then it verifies with the public key, whatever the order of its fields', () => {
    const signed = signCheckpoint(document, parsePrivateKey(privatePem));
    const reordered = { ...signed, document: Object.fromEntries(Object.entries(signed.document).reverse()) as unknown as CheckpointDocument };
    expect(verifyCheckpointSignature(reordered, parsePublicKeys(publicPem))).toEqual({ ok: true, publicKeyId: publicKeyId(pair.publicKey) });
  });

  it('when any field, the digest or the signature is altered, or another key is used, then it is refused', () => {
    const signed = signCheckpoint(document, pair.privateKey);
    const other = generateKeyPairSync('ed25519');
    const refused = (s: typeof signed, keys = [pair.publicKey]) => verifyCheckpointSignature(s, keys);
    expect(refused({ ...signed, document: { ...document, number: 8 } })).toEqual({ ok: false, reason: 'its digest does not match its document' });
    expect(refused({ ...signed, digest: 'b'.repeat(64) })).toMatchObject({ ok: false });
    expect(refused({ ...signed, signature: Buffer.alloc(64).toString('base64') })).toMatchObject({ ok: false, reason: expect.stringContaining('the signature does not verify') });
    expect(refused({ ...signed, signature: 'not base64 at all' })).toMatchObject({ ok: false });
    expect(refused(signed, [other.publicKey])).toMatchObject({ ok: false, reason: expect.stringContaining('any configured public key') });
    expect(refused(signed, [])).toMatchObject({ ok: false, reason: expect.stringContaining('REDRESS_CHECKPOINT_PUBLIC_KEY') });
    // Signed by someone else, naming our key: still refused.
    expect(refused({ ...signCheckpoint(document, other.privateKey), publicKeyId: publicKeyId(pair.publicKey) })).toMatchObject({ ok: false });
  });

  it('when keys rotate, then checkpoints signed by the old and the new key both verify with both public keys configured', () => {
    const next = generateKeyPairSync('ed25519');
    const both = parsePublicKeys(`${publicPem}\n${next.publicKey.export({ format: 'pem', type: 'spki' })}`);
    expect(both).toHaveLength(2);
    expect(verifyCheckpointSignature(signCheckpoint(document, pair.privateKey), both).ok).toBe(true);
    expect(verifyCheckpointSignature(signCheckpoint(document, next.privateKey), both).ok).toBe(true);
  });
});

describe('the local key pair of npm start', () => {
  it('when npm start runs without keys configured, then it makes a pair in its data folder, readable only by its owner, and keeps it', () => {
    const env = { REDRESS_DATA_DIR: mkdtempSync(join(tmpdir(), 'redress-keys-')) };
    expect(checkpointSigningKey(env)).toBeUndefined();
    ensureLocalCheckpointKeys(env);
    const files = localCheckpointKeyFiles(env);
    expect(statSync(files.privateKey).mode & 0o777).toBe(0o600);
    const first = readFileSync(files.privateKey, 'utf8');
    ensureLocalCheckpointKeys(env);
    expect(readFileSync(files.privateKey, 'utf8')).toBe(first);
    const signed = signCheckpoint(document, checkpointSigningKey(env)!);
    expect(verifyCheckpointSignature(signed, checkpointPublicKeys(env)).ok).toBe(true);
  });

  it('when keys are configured in the environment, then no local pair is made and the configured keys are used', () => {
    const pair = generateKeyPairSync('ed25519');
    const env = {
      REDRESS_DATA_DIR: mkdtempSync(join(tmpdir(), 'redress-keys-')),
      REDRESS_CHECKPOINT_KEY: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      REDRESS_CHECKPOINT_PUBLIC_KEY: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    };
    ensureLocalCheckpointKeys(env);
    expect(() => statSync(localCheckpointKeyFiles(env).privateKey)).toThrow();
    expect(publicKeyId(checkpointSigningKey(env)!)).toBe(publicKeyId(pair.publicKey));
    expect(checkpointPublicKeys(env).map(publicKeyId)).toEqual([publicKeyId(pair.publicKey)]);
  });
});
