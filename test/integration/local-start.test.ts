/**
 * `npm start` as a new user runs it: from a project folder the `postgres` user cannot enter (as root in /root), then
 * the scripts it suggests, with no variable set, against the instance it runs; and one configuration path for
 * Temporal (envconfig) that every process and script shares.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { postgresDirFor } from '../../db/embedded';
import { instanceFile, withLocalInstance } from '../../worker/local-instance';
import { temporalSettings } from '../../worker/temporal-config';
import { runScript } from '../support/processes';

jest.setTimeout(240_000);

const root = resolve(__dirname, '../..');
// Like /root: a folder only its owner may enter.
const home = mkdtempSync(join(tmpdir(), 'redress-home-'));
chmodSync(home, 0o700);
const dataDir = join(home, 'project/.redress-data');
afterAll(() => {
  // The cluster's folder outside the data folder (as root) goes too: each run of this file has its own.
  const placed = postgresDirFor(dataDir);
  if (placed.startsWith('/var/lib/redress/')) for (const p of [placed, `${placed}.initdb.log`]) rmSync(p, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as import('node:net').AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** The environment of a new terminal: none of the test run's database or Temporal variables. */
function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, REDRESS_DATA_DIR: dataDir, ...extra };
  // Set to undefined rather than deleted: runScript lays this over the test's own environment, and spawn drops undefined.
  for (const k of Object.keys(env)) if (k === 'DATABASE_URL' || /^TEMPORAL_(ADDRESS|NAMESPACE|API_KEY|PROFILE|CONFIG_FILE|TLS)/.test(k)) env[k] = undefined;
  return env;
}

it('when the data folder is one the postgres user cannot enter, then as root the cluster goes where it can, the same place every time', () => {
  mkdirSync(dataDir, { recursive: true });
  const placed = postgresDirFor(dataDir);
  if (process.getuid?.() === 0) {
    expect(placed).toMatch(/^\/var\/lib\/redress\/postgres-[0-9a-f]{12}$/);
    expect(postgresDirFor(dataDir)).toBe(placed);
    expect(postgresDirFor(join(home, 'other'))).not.toBe(placed);
  } else {
    // Not root: PostgreSQL runs as this user, who can enter the folder.
    expect(placed).toBe(join(dataDir, 'postgres'));
  }
});

it('when npm start runs with no variable set, then npm run example finds its database and Temporal by itself, and the pointer goes when it stops', async () => {
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const start: ChildProcess = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(root, 'scripts/start.ts')], {
    env: plainEnv({ PORT: String(port), REDRESS_DEV_SERVER_PORT: String(temporalPort), REDRESS_DEV_UI_PORT: String(uiPort), REDRESS_RELEASE_CRON: 'off', LOG_LEVEL: 'warn' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  start.stdout!.on('data', (d) => { out += String(d); });
  start.stderr!.on('data', (d) => { out += String(d); });
  try {
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`npm start did not start in 150 s:\n${out}`)), 150_000);
      start.stdout!.on('data', () => { if (out.includes('Redress is running.')) { clearTimeout(timer); ok(); } });
      start.once('exit', (code) => fail(new Error(`npm start exited with ${code}:\n${out}`)));
    });
    if (process.getuid?.() === 0) expect(out).toMatch(/files in \/var\/lib\/redress\/postgres-/);
    const instance = JSON.parse(readFileSync(instanceFile({ REDRESS_DATA_DIR: dataDir }), 'utf8'));
    expect(instance).toMatchObject({ TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'redress' });
    expect(JSON.stringify(instance)).not.toMatch(/password|key/i);

    const example = await runScript('scripts/example-claim.ts', [], plainEnv());
    expect(example.stderr).not.toMatch(/DATABASE_URL/);
    if (example.code !== 0) throw new Error(`npm run example failed: ${example.stderr.slice(0, 500)}`);
    expect(example.stdout).toContain('stage settled');
  } finally {
    const exited = new Promise((r) => start.once('exit', r));
    if (start.exitCode === null) start.kill('SIGINT');
    await exited;
  }
  expect(existsSync(instanceFile({ REDRESS_DATA_DIR: dataDir }))).toBe(false);
  // With no npm start running, a script says what to do instead of a stack trace.
  const alone = await runScript('scripts/example-claim.ts', [], plainEnv());
  expect(alone.code).not.toBe(0);
  expect(alone.stderr).toContain('start Redress with `npm start` in another terminal');
});

it('when Temporal variables or a TOML profile are set, then every process reads address, namespace, TLS and API key the same way, and they win over the local instance', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-envconfig-'));
  writeFileSync(join(dir, 'client.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  writeFileSync(join(dir, 'client.key'), '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
  writeFileSync(join(dir, 'temporal.toml'), [
    '[profile.cloud]', 'address = "redress.a1b2c.tmprl.cloud:7233"', 'namespace = "redress.a1b2c"',
    '[profile.cloud.tls]', `client_cert_path = "${join(dir, 'client.pem')}"`, `client_key_path = "${join(dir, 'client.key')}"`,
  ].join('\n'));
  try {
    const cloud = temporalSettings({ TEMPORAL_CONFIG_FILE: join(dir, 'temporal.toml'), TEMPORAL_PROFILE: 'cloud', TEMPORAL_TASK_QUEUE: 'redress-prod' }, { localInstance: false });
    expect([cloud.connection.address, cloud.namespace, cloud.taskQueue]).toEqual(['redress.a1b2c.tmprl.cloud:7233', 'redress.a1b2c', 'redress-prod']);
    const pair = (cloud.connection.tls as { clientCertPair: { crt: Uint8Array; key: Uint8Array } }).clientCertPair;
    expect([Buffer.from(pair.crt).toString(), Buffer.from(pair.key).toString()]).toEqual([expect.stringContaining('BEGIN CERTIFICATE'), expect.stringContaining('BEGIN PRIVATE KEY')]);

    const keyed = temporalSettings({ TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'redress.x1', TEMPORAL_API_KEY: 'secret-api-key' }, { localInstance: false });
    expect([keyed.connection.address, keyed.namespace, keyed.connection.apiKey, keyed.connection.tls]).toEqual(['eu-west-1.aws.api.temporal.io:7233', 'redress.x1', 'secret-api-key', true]);
    expect(keyed.describe()).not.toContain('secret-api-key');

    const plain = temporalSettings({}, { localInstance: false });
    expect([plain.connection.address, plain.namespace, plain.taskQueue, plain.connection.tls]).toEqual(['localhost:7233', 'default', 'redress', undefined]);

    // A local instance fills in only what is not configured.
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(instanceFile({ REDRESS_DATA_DIR: dataDir }), JSON.stringify({ DATABASE_URL: 'postgres://local/redress', TEMPORAL_ADDRESS: '127.0.0.1:7999', TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'redress', pid: process.pid }));
    expect(temporalSettings({ REDRESS_DATA_DIR: dataDir }).connection.address).toBe('127.0.0.1:7999');
    expect(temporalSettings({ REDRESS_DATA_DIR: dataDir, TEMPORAL_NAMESPACE: 'other' }).connection.address).toBe('localhost:7233');
    expect(withLocalInstance({ REDRESS_DATA_DIR: dataDir, DATABASE_URL: 'postgres://mine/db' }).DATABASE_URL).toBe('postgres://mine/db');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(instanceFile({ REDRESS_DATA_DIR: dataDir }), { force: true });
  }
});
