/**
 * Real processes: scripts run to their end, a worker that can be SIGKILLed, a PostgreSQL cluster that can be
 * restarted.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { postgresBinDir, startPostgresCluster } from '../../db/embedded';

const root = resolve(__dirname, '../..');

/** A TypeScript script of the project in a child process, once it printed a line matching `ready` (its match). */
async function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, what: string): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), resolve(root, script), ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const match = await new Promise<RegExpExecArray>((ok, fail) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`${what} did not start in 60 s`)); }, 60_000);
    child.stdout!.on('data', (d) => { const m = ready.exec(String(d)); if (m) { clearTimeout(timer); ok(m); } });
    child.once('exit', (code) => fail(new Error(`${what} exited with ${code}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, match };
}

/** A TypeScript script of the project run to its end in a child process: its exit code and output. */
export async function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), resolve(root, script), ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += String(d); });
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const code = await new Promise<number | null>((ok) => child.once('close', ok));
  return { code, stdout, stderr };
}

/** `npm run worker` in a child process; resolves once the worker has started. Other variables may be added. */
export async function spawnWorker(env: WorkerEnv): Promise<ChildProcess> {
  return (await spawnWorkerProcess(env)).child;
}

type WorkerEnv = { DATABASE_URL: string; TEMPORAL_ADDRESS: string; TEMPORAL_TASK_QUEUE: string; SMTP_URL: string } & NodeJS.ProcessEnv;

/** The worker process and the URL of its health endpoint (on a free port unless REDRESS_WORKER_HEALTH_PORT says). */
export async function spawnWorkerProcess(env: WorkerEnv): Promise<{ child: ChildProcess; health: string | null }> {
  const { child, match } = await spawnScript('worker/main.ts', [], {
    REDRESS_WORKFLOW_BUNDLE: process.env.REDRESS_WORKFLOW_BUNDLE!, LOG_LEVEL: 'error', REDRESS_RELEASE_CRON: 'off',
    REDRESS_WORKER_HEALTH_PORT: '0', REDRESS_WORKER_METRICS: 'off', ...env,
  }, /redress worker:.*health (?::(\d+)\/health|off)/, 'worker');
  return { child, health: match[1] ? `http://127.0.0.1:${match[1]}/health` : null };
}

/** `npm run api` in a child process on a free loopback port; resolves with its base URL once it listens. */
export async function spawnApi(env: { DATABASE_URL: string; TEMPORAL_ADDRESS: string; TEMPORAL_TASK_QUEUE: string } & NodeJS.ProcessEnv): Promise<{ child: ChildProcess; base: string; metrics: string | null }> {
  const { child, match } = await spawnScript('api/main.ts', [], { HOST: '127.0.0.1', PORT: '0', REDRESS_METRICS_PORT: '0', REDRESS_METRICS_HOST: '127.0.0.1', ...env },
    /Redress API on (http:\/\/[0-9.]+:\d+).*metrics (?:on :(\d+)\/metrics|off)/, 'API');
  return { child, base: match[1]!, metrics: match[2] ? `http://127.0.0.1:${match[2]}/metrics` : null };
}

/** The embedded PGlite database (scripts/pglite-server.ts) in a child process: jest's VM cannot load its WebAssembly. */
export async function spawnPglite(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const { child, match } = await spawnScript('scripts/pglite-server.ts', [dir], {}, /DATABASE_URL=(\S+)/, 'PGlite');
  return {
    url: match[1]!,
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
  const { url, dir, stop } = startPostgresCluster();
  const port = new URL(url).port;
  const asOwner = (args: string[]) => {
    const cmd = [`${postgresBinDir()}/pg_ctl`, ...args];
    if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', ...cmd], { stdio: 'ignore' });
    else execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
  };
  return {
    url, dir,
    restart: () => asOwner(['-D', dir, '-w', '-m', 'fast', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'restart']),
    stop,
  };
}
