/**
 * The database `npm start` uses when no DATABASE_URL is given. Two kinds, both real PostgreSQL:
 * - `postgres`: a throwaway cluster from the machine's PostgreSQL binaries (scripts/pg-cluster.sh);
 * - `pglite`: PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port by pglite-socket, so it needs
 *   nothing installed. It runs one query at a time whoever sends it: each process uses a knex pool of one.
 * Either keeps its files in the given folder, so the data survive a restart.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type EmbeddedKind = 'postgres' | 'pglite';

export interface EmbeddedDatabase {
  kind: EmbeddedKind;
  url: string;
  /** Where its files are (the PostgreSQL cluster's data folder, or PGlite's). */
  dir: string;
  /** The knex pool size this database takes. */
  poolSize: number;
  stop(): Promise<void>;
}

const root = resolve(__dirname, '..');

const PG_CLUSTER = join(root, 'scripts/pg-cluster.sh');

/** Where PostgreSQL's server binaries (initdb, pg_ctl) are on this machine, or null (scripts/pg-cluster.sh finds them). */
export function postgresBinDir(): string | null {
  try {
    return execFileSync('bash', [PG_CLUSTER, 'bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

export interface PostgresCluster {
  url: string;
  dir: string;
  stop(): void;
}

/** A PostgreSQL cluster on a free loopback port, in DIR (kept: it starts again with its data) or a new temporary folder. */
export function startPostgresCluster(dir?: string): PostgresCluster {
  const out = execFileSync('bash', [PG_CLUSTER, 'start', ...(dir ? [dir] : [])], { encoding: 'utf8' });
  const started = /REDRESS_PGDATA=(\S+)/.exec(out)![1]!;
  return { url: /DATABASE_URL=(\S+)/.exec(out)![1]!, dir: started, stop: () => { execFileSync('bash', [PG_CLUSTER, 'stop', started]); } };
}

/** The data folder of `npm start` and its scripts (REDRESS_DATA_DIR, default .redress-data in the project). */
export function dataDirOf(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDRESS_DATA_DIR ?? join(root, '.redress-data');
}

/** REDRESS_EMBEDDED_DB chooses; by default a PostgreSQL cluster where its binaries exist, PGlite otherwise. */
export function embeddedKind(requested: string | undefined): EmbeddedKind {
  if (requested === 'postgres' || requested === 'pglite') return requested;
  if (requested) throw new Error(`REDRESS_EMBEDDED_DB must be postgres or pglite, not ${requested}`);
  return postgresBinDir() ? 'postgres' : 'pglite';
}

/**
 * Where the embedded PostgreSQL cluster keeps its files: <data dir>/postgres, except as root when the `postgres`
 * user (PostgreSQL refuses to run as root) cannot reach the data folder, e.g. a project inside /root (mode 0700).
 * Then /var/lib/redress/postgres-<hash of the data folder>, owned by postgres; the same folder at every start.
 */
export function postgresDirFor(dataDir: string): string {
  const wanted = join(dataDir, 'postgres');
  if (process.getuid?.() !== 0) return wanted;
  mkdirSync(dataDir, { recursive: true });
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dataDir], { stdio: 'ignore' });
    return wanted;
  } catch {
    mkdirSync('/var/lib/redress', { recursive: true, mode: 0o755 });
    return `/var/lib/redress/postgres-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}`;
  }
}

export async function startEmbeddedDatabase(kind: EmbeddedKind, dataDir: string): Promise<EmbeddedDatabase> {
  if (kind === 'postgres') {
    const cluster = startPostgresCluster(postgresDirFor(dataDir));
    return { kind, url: cluster.url, dir: cluster.dir, poolSize: 10, stop: async () => cluster.stop() };
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
    dir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    poolSize: 1,
    stop: async () => { await server.stop(); await pg.close(); },
  };
}
