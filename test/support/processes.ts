/** Real processes for fault tests: a worker that can be SIGKILLed, a PostgreSQL cluster that can be restarted. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** `npm run worker` in a child process; resolves once the worker has started. */
export async function spawnWorker(env: { DATABASE_URL: string; TEMPORAL_ADDRESS: string; TEMPORAL_TASK_QUEUE: string; SMTP_URL: string }): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), resolve(root, 'worker/main.ts')], {
    env: { ...process.env, ...env, REDRESS_WORKFLOW_BUNDLE: process.env.REDRESS_WORKFLOW_BUNDLE!, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('worker did not start in 60 s')), 60_000);
    child.stdout!.on('data', (d) => { if (String(d).includes('redress worker:')) { clearTimeout(timer); ok(); } });
    child.once('exit', (code) => fail(new Error(`worker exited with ${code}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

/** The embedded PGlite database (scripts/pglite-server.ts) in a child process: jest's VM cannot load its WebAssembly. */
export async function spawnPglite(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), resolve(root, 'scripts/pglite-server.ts'), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('PGlite did not start in 60 s')), 60_000);
    child.stdout!.on('data', (d) => { const m = /DATABASE_URL=(\S+)/.exec(String(d)); if (m) { clearTimeout(timer); ok(m[1]!); } });
    child.once('exit', (code) => fail(new Error(`PGlite exited with ${code}`)));
  });
  child.stdout!.resume();
  return {
    url,
    // SIGTERM: the server closes the database cleanly before it exits.
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** A PostgreSQL cluster of the test's own (so restarting it disturbs no other test file). */
export function startCluster(): { url: string; dir: string; restart(): void; stop(): void } {
  const out = execFileSync('bash', [resolve(root, 'scripts/pg-cluster.sh'), 'start'], { encoding: 'utf8' });
  const url = /DATABASE_URL=(\S+)/.exec(out)![1]!;
  const dir = /REDRESS_PGDATA=(\S+)/.exec(out)![1]!;
  const port = new URL(url).port;
  const asOwner = (args: string[]) => {
    const bin = execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | tail -1'], { encoding: 'utf8' }).trim();
    const cmd = [`${bin}/pg_ctl`, ...args];
    if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', ...cmd], { stdio: 'ignore' });
    else execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
  };
  return {
    url, dir,
    restart: () => asOwner(['-D', dir, '-w', '-m', 'fast', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'restart']),
    stop: () => { execFileSync('bash', [resolve(root, 'scripts/pg-cluster.sh'), 'stop', dir]); },
  };
}
