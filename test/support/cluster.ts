/**
 * A real Temporal cluster, as deployments run it: the server built from go.temporal.io/server (npm run provision)
 * on a PostgreSQL cluster of its own, the schema created and updated by temporal-sql-tool (persistence and
 * visibility), and the frontend, history, matching and internal-worker services as separate processes that share
 * one config file. Several history shards, the `default` namespace and Redress's search attributes registered.
 * Any service can be SIGKILLed and started again.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { registerSearchAttributes } from '../../worker/search-attributes';
import { startCluster } from './processes';

export const CLUSTER_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

export interface TemporalCluster {
  /** The frontend's gRPC address. */
  address: string;
  namespace: string;
  historyShards: number;
  /** PostgreSQL holding Temporal's persistence and visibility databases. */
  postgres: ReturnType<typeof startCluster>;
  /** The running process of each service. */
  processes: Record<ClusterService, ChildProcess>;
  /** SIGKILL, no goodbye: the service's in-memory state is lost as in a crash. */
  kill(service: ClusterService): Promise<void>;
  start(service: ClusterService): Promise<void>;
  stop(): Promise<void>;
}

const root = resolve(__dirname, '../..');

export function clusterBinaries(env: NodeJS.ProcessEnv = process.env): { server: string; sqlTool: string } {
  const tools = env.REDRESS_TOOLS_DIR ?? join(root, '.tools');
  const server = env.TEMPORAL_SERVER_PATH ?? join(tools, 'bin/temporal-server');
  const sqlTool = env.TEMPORAL_SQL_TOOL_PATH ?? join(tools, 'bin/temporal-sql-tool');
  for (const [what, path] of [['temporal-server', server], ['temporal-sql-tool', sqlTool]] as const) {
    if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run npm run provision (it builds go.temporal.io/server with Go)`);
  }
  return { server, sqlTool };
}

/** A free loopback port below 32768: the membership table stores ports as smallint. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const ok = await new Promise<boolean>((r) => { server.once('error', () => r(false)); server.listen(port, '127.0.0.1', () => r(true)); });
    if (ok) { await new Promise((r) => server.close(r)); return port; }
  }
}

/** Creates (or updates) the persistence and visibility schemas with the server's own schema tool. */
export function setupSchema(sqlTool: string, pg: { host: string; port: string; user: string }): void {
  const base = ['--plugin', 'postgres12', '--ep', pg.host, '--port', pg.port, '--user', pg.user];
  for (const [db, schema] of [['temporal', 'postgresql/v12/temporal'], ['temporal_visibility', 'postgresql/v12/visibility']]) {
    const tool = (...args: string[]) => execFileSync(sqlTool, [...base, '--db', db!, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    try { tool('create-database'); } catch { /* exists: update-schema below brings it to the latest version */ }
    try { tool('setup-schema', '-v', '0.0'); } catch { /* already set up */ }
    tool('update-schema', '--schema-name', schema!);
  }
}

function configYaml(o: { pgPort: string; pgUser: string; shards: number; ports: Record<ClusterService, { grpc: number; membership: number }>; dynamicConfig: string }): string {
  const store = (db: string, conns: number) => `      sql:
        pluginName: postgres12
        databaseName: ${db}
        connectAddr: "127.0.0.1:${o.pgPort}"
        connectProtocol: tcp
        user: ${o.pgUser}
        password: ""
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const service = (name: ClusterService) => `  ${name}:
    rpc:
      grpcPort: ${o.ports[name].grpc}
      membershipPort: ${o.ports[name].membership}
      bindOnIP: 127.0.0.1`;
  return `log:
  stdout: true
  level: error
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${o.shards}
  datastores:
    default:
${store('temporal', 20)}
    visibility:
${store('temporal_visibility', 5)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
${CLUSTER_SERVICES.map(service).join('\n')}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${o.ports.frontend.grpc}
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${o.dynamicConfig}
  pollInterval: 10s
`;
}

// Test-friendly, not semantics-changing: a new namespace and new search attributes are seen at once.
const DYNAMIC_CONFIG = `system.namespaceCacheRefreshInterval:
  - value: 1s
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
`;

export async function startTemporalCluster(opts: { historyShards?: number; namespace?: string } = {}): Promise<TemporalCluster> {
  const { server, sqlTool } = clusterBinaries();
  const shards = opts.historyShards ?? 4;
  const namespace = opts.namespace ?? 'default';
  const postgres = startCluster();
  const pgUrl = new URL(postgres.url);
  setupSchema(sqlTool, { host: pgUrl.hostname, port: pgUrl.port, user: pgUrl.username });

  const dir = mkdtempSync(join(tmpdir(), 'redress-temporal-cluster-'));
  mkdirSync(join(dir, 'config'));
  const dynamicConfig = join(dir, 'dynamic.yaml');
  writeFileSync(dynamicConfig, DYNAMIC_CONFIG);
  const ports = {} as Record<ClusterService, { grpc: number; membership: number }>;
  for (const s of CLUSTER_SERVICES) ports[s] = { grpc: await freePort(), membership: await freePort() };
  writeFileSync(join(dir, 'config/development.yaml'), configYaml({ pgPort: pgUrl.port, pgUser: pgUrl.username, shards, ports, dynamicConfig }));
  const address = `127.0.0.1:${ports.frontend.grpc}`;

  const processes = {} as Record<ClusterService, ChildProcess>;
  const start = async (service: ClusterService) => {
    const log = openSync(join(dir, `${service}.log`), 'a');
    processes[service] = spawn(server, ['--root', dir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start', '--service', service], {
      stdio: ['ignore', log, log],
    });
    if (service === 'frontend') await waitForFrontend(address, join(dir, 'frontend.log'), processes.frontend);
  };
  const kill = async (service: ClusterService) => {
    const child = processes[service];
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  const stopAll = async (keepLogs = false) => {
    for (const s of [...CLUSTER_SERVICES].reverse()) if (processes[s]) await kill(s);
    postgres.stop();
    if (!keepLogs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The frontend first: each service initializes the cluster's metadata in an empty database, and two doing it at
    // once make one fail. Then the others together; each joins the ring through the membership table in PostgreSQL.
    await start('frontend');
    await Promise.all(CLUSTER_SERVICES.filter((s) => s !== 'frontend').map(start));
    const connection = await Connection.connect({ address });
    try {
      await registerNamespace(connection, namespace);
      await registerSearchAttributes(connection, namespace);
    } finally {
      await connection.close();
    }
  } catch (err) {
    // A cluster that failed to start leaves nothing running; its logs stay for the error message's pointer.
    await stopAll(true);
    throw err;
  }

  return {
    address, namespace, historyShards: shards, postgres, processes, kill, start,
    stop: () => stopAll(),
  };
}

async function waitForFrontend(address: string, log: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Temporal frontend exited with ${child.exitCode}; see ${log}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.healthService.check({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > until) throw new Error(`the Temporal frontend at ${address} did not answer in 90 s (${(err as Error).message}); see ${log}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Registers the namespace (30 days' retention) unless it exists, then waits until history and matching know it. */
export async function registerNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(30 * 86_400) } });
  } catch (err) {
    if (!/already exists|AlreadyExists/i.test((err as Error).message)) throw err;
  }
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      // The frontend knows it; a read that reaches history proves the rest of the cluster does too.
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
