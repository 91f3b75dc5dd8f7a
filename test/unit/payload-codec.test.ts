import { AesGcmPayloadCodec, newPayloadKey, parsePayloadKeys } from '../../worker/payload-codec';

const enc = new TextEncoder();
const plain = { metadata: { encoding: enc.encode('json/plain') }, data: enc.encode('{"court":"High Court at Nairobi"}') };

describe('payload codec', () => {
  const [k1, k2] = [newPayloadKey('k1'), newPayloadKey('k2')];
  it('when a payload is encoded, then nothing of it is readable, and decoding gives it back exactly', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(k1));
    const [sealed] = await codec.encode([plain]);
    expect(Buffer.from(sealed!.data!).toString()).not.toContain('High Court');
    expect(new TextDecoder().decode(sealed!.metadata!.encoding)).toBe('binary/encrypted');
    const [opened] = await codec.decode([sealed!]);
    expect(new TextDecoder().decode(opened!.data!)).toBe('{"court":"High Court at Nairobi"}');
  });
  it('when a payload was written before encryption, then it passes through unchanged', async () => {
    const [same] = await new AesGcmPayloadCodec(parsePayloadKeys(k1)).decode([plain]);
    expect(same).toBe(plain);
  });
  it('when a sealed payload is altered, then decoding refuses it', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(k1));
    const [sealed] = await codec.encode([plain]);
    const data = Buffer.from(sealed!.data!); data.writeUInt8(data.readUInt8(data.length - 1) ^ 1, data.length - 1);
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow();
  });
  it('when keys rotate, then the new key encrypts and the old one still decrypts; an unknown key is named', async () => {
    const [old] = await new AesGcmPayloadCodec(parsePayloadKeys(k1)).encode([plain]);
    const rotated = new AesGcmPayloadCodec(parsePayloadKeys(`${k2},${k1}`));
    expect(new TextDecoder().decode((await rotated.decode([old!]))[0]!.data!)).toContain('High Court');
    const [fresh] = await rotated.encode([plain]);
    expect(new TextDecoder().decode(fresh!.metadata!['encryption-key-id'])).toBe('k2');
    await expect(new AesGcmPayloadCodec(parsePayloadKeys(k2)).decode([old!])).rejects.toThrow('no payload key with id k1');
    expect(() => parsePayloadKeys('nonsense')).toThrow(/id:base64key/);
    expect(() => new AesGcmPayloadCodec([{ id: 'short', key: Buffer.alloc(8) }])).toThrow(/32 bytes/);
  });
});
