/**
 * The database `npm start` uses when no DATABASE_URL is given. Two kinds, both real PostgreSQL:
 * - `postgres`: a throwaway cluster from the machine's PostgreSQL binaries (scripts/pg-cluster.sh);
 * - `pglite`: PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port by pglite-socket, so it needs
 *   nothing installed. It runs one query at a time whoever sends it: each process uses a knex pool of one.
 * Either keeps its files in the given folder, so the data survive a restart.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type EmbeddedKind = 'postgres' | 'pglite';

export interface EmbeddedDatabase {
  kind: EmbeddedKind;
  url: string;
  /** The knex pool size this database takes. */
  poolSize: number;
  stop(): Promise<void>;
}

const root = resolve(__dirname, '..');

/** true when PostgreSQL's server binaries (initdb, pg_ctl) are on this machine. */
export function postgresBinariesPresent(): boolean {
  const dirs = ['/usr/lib/postgresql'].filter(existsSync).flatMap((d) => readdirSync(d).map((v) => join(d, v, 'bin')));
  try {
    dirs.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch { /* no pg_config */ }
  return dirs.some((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
}

/** REDRESS_EMBEDDED_DB chooses; by default a PostgreSQL cluster where its binaries exist, PGlite otherwise. */
export function embeddedKind(requested: string | undefined): EmbeddedKind {
  if (requested === 'postgres' || requested === 'pglite') return requested;
  if (requested) throw new Error(`REDRESS_EMBEDDED_DB must be postgres or pglite, not ${requested}`);
  return postgresBinariesPresent() ? 'postgres' : 'pglite';
}

export async function startEmbeddedDatabase(kind: EmbeddedKind, dataDir: string): Promise<EmbeddedDatabase> {
  if (kind === 'postgres') {
    const dir = join(dataDir, 'postgres');
    const out = execFileSync('bash', [join(root, 'scripts/pg-cluster.sh'), 'start', dir], { encoding: 'utf8' });
    const url = /DATABASE_URL=(\S+)/.exec(out)![1]!;
    return { kind, url, poolSize: 10, stop: async () => { execFileSync('bash', [join(root, 'scripts/pg-cluster.sh'), 'stop', dir]); } };
  }
  return startPglite(join(dataDir, 'pglite'));
}

export async function startPglite(dir: string): Promise<EmbeddedDatabase> {
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const pg = await PGlite.create(dir);
  // Several connections, so `npm run demo` and other scripts can join npm start's; pglite-socket runs one query at a
  // time and, while a transaction is open, only that connection's queries.
  const server = new PGLiteSocketServer({ db: pg, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    kind: 'pglite',
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    poolSize: 1,
    stop: async () => { await server.stop(); await pg.close(); },
  };
}
