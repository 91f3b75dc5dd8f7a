/**
 * The deployment as docs/deployment.md writes it, command by command where no Docker engine is needed: the .env
 * keys made with openssl alone (no Node on the host) are the keys Redress reads, and the first administrator is
 * created with the password given on standard input (as `docker compose run -T` and `kubectl exec -i` pass it).
 */
import { execFileSync, spawn } from 'node:child_process';
import { sign, verify } from 'node:crypto';
import { join, resolve } from 'node:path';
import { signIn } from '../../api/access/users';
import { parsePrivateKey, parsePublicKeys } from '../../db/checkpoint-keys';
import { AesGcmPayloadCodec, parsePayloadKeys } from '../../worker/payload-codec';
import { createTestDatabase } from '../support/harness';

jest.setTimeout(60_000);

const root = resolve(__dirname, '../..');
const sh = (script: string) => execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim();

it('when the .env keys are made with the documented openssl one-liners, then the payload key encrypts and the checkpoint pair signs and verifies', async () => {
  // The lines of docs/deployment.md, as written there.
  const payload = sh('echo "REDRESS_PAYLOAD_KEYS=k1:$(openssl rand -base64 32)"').replace(/^REDRESS_PAYLOAD_KEYS=/, '');
  const pem = sh('openssl genpkey -algorithm ed25519');
  const privateLine = sh(`printf '%s\\n' '${pem}' | openssl pkey -outform DER | base64 -w0`);
  const publicLine = sh(`printf '%s\\n' '${pem}' | openssl pkey -pubout -outform DER | base64 -w0`);

  const [key] = parsePayloadKeys(payload);
  expect([key!.id, key!.key.length]).toEqual(['k1', 32]);
  const codec = new AesGcmPayloadCodec(parsePayloadKeys(payload));
  const [sealed] = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"secret"') }]);
  expect(Buffer.from(sealed!.data!).toString()).not.toContain('secret');
  expect(Buffer.from((await codec.decode([sealed!]))[0]!.data!).toString()).toBe('"secret"');

  const signature = sign(null, Buffer.from('checkpoint'), parsePrivateKey(privateLine));
  expect(verify(null, Buffer.from('checkpoint'), parsePublicKeys(publicLine)[0]!, signature)).toBe(true);
});

it('when the first administrator is created with --password-stdin, then that password signs in and no other does; without a password, usage', async () => {
  const database = await createTestDatabase();
  try {
    const run = (args: string[], stdin: string) => new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(root, 'scripts/add-user.ts'), ...args], {
        env: { ...process.env, DATABASE_URL: database.url, REDRESS_PASSWORD: undefined }, stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => { out += String(d); });
      child.stderr.on('data', (d) => { out += String(d); });
      child.once('close', (code) => done({ code, out }));
      child.stdin.end(stdin);
    });
    const created = await run(['--password-stdin', 'achieng', 'administrator', 'Achieng Odhiambo'], 'a long passphrase, typed once\n');
    expect([created.code, created.out.trim()]).toEqual([0, 'created administrator achieng']);
    expect((await signIn(database.db, 'achieng', 'a long passphrase, typed once')).kind).toBe('signed-in');
    expect((await signIn(database.db, 'achieng', 'a long passphrase, typed once\n')).kind).toBe('refused');
    const empty = await run(['achieng2', 'administrator', 'No Password'], '');
    expect(empty.code).toBe(2);
    expect(empty.out).toContain('--password-stdin');
  } finally {
    await database.drop();
  }
});
