/**
 * Encrypts every Temporal payload (AES-256-GCM) before it leaves a worker or client, so Temporal's database and
 * history exports hold nothing readable; failure messages too (worker/failure-converter.ts). Redress keeps survivors' identities out of workflows anyway (pseudonymous
 * references; health facts stay in PostgreSQL); this is the second wall. Payloads written before encryption was
 * turned on pass through unchanged, so old histories still replay.
 *
 * Keys: REDRESS_PAYLOAD_KEYS="id1:base64key,id2:base64key" (32-byte keys); the first encrypts, all decrypt, so a key
 * can be rotated without losing old histories.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { dataDirOf } from '../db/embedded';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const PayloadProto = temporal.api.common.v1.Payload;

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer };

  constructor(keys: { id: string; key: Buffer }[]) {
    if (!keys.length) throw new Error('at least one payload key is required');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`payload key ${k.id} must be 32 bytes`);
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    this.current = keys[0]!;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const body = Buffer.concat([cipher.update(PayloadProto.encode(payload).finish()), cipher.final()]);
      return {
        metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), 'encryption-key-id': encoder.encode(this.current.id) },
        data: Buffer.concat([iv, cipher.getAuthTag(), body]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads written before encryption was turned on pass through: old histories must still replay.
      if (!isEncrypted(payload)) return payload;
      const keyId = decoder.decode(payload.metadata!['encryption-key-id']);
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`no payload key with id ${keyId}`);
      const data = Buffer.from(payload.data!);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
      return PayloadProto.decode(plain);
    });
  }
}

/** Whether this codec sealed the payload (its encoding says so; decoding then checks it was not altered). */
export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && decoder.decode(encoding) === ENCRYPTED_ENCODING;
}

export function parsePayloadKeys(spec: string): { id: string; key: Buffer }[] {
  return spec.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const [id, b64] = entry.split(':');
    if (!id || !b64) throw new Error('REDRESS_PAYLOAD_KEYS must look like "id:base64key[,id:base64key]"');
    return { id, key: Buffer.from(b64, 'base64') };
  });
}

/** Where `npm start` keeps the local key, so `npm run demo`, `import` and `example` find it too. */
export function localKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDirOf(env), 'payload-keys');
}

/** The payload codec, when keys are configured (REDRESS_PAYLOAD_KEYS, or the local key file of `npm start`). */
export function payloadCodecFrom(env: NodeJS.ProcessEnv = process.env): AesGcmPayloadCodec | undefined {
  const spec = env.REDRESS_PAYLOAD_KEYS ?? (existsSync(localKeyFile(env)) ? readFileSync(localKeyFile(env), 'utf8').trim() : undefined);
  return spec ? new AesGcmPayloadCodec(parsePayloadKeys(spec)) : undefined;
}

/** The failure converter that moves failure messages and stack traces into (encrypted) payloads. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The data converter for workers and clients: payloads and failure messages encrypted when keys are configured. */
export function dataConverterFrom(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const codec = payloadCodecFrom(env);
  return codec ? { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH } : undefined;
}

export function newPayloadKey(id = `k${Date.now()}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
