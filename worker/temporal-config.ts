/**
 * The one way every Redress process (worker, API, npm start, every script) finds Temporal: Temporal's own
 * environment configuration (@temporalio/envconfig), so a self-hosted cluster and Temporal Cloud take the same
 * variables as the `temporal` CLI:
 *   TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS (true/false),
 *   TEMPORAL_TLS_CLIENT_CERT_PATH / TEMPORAL_TLS_CLIENT_KEY_PATH (mTLS), TEMPORAL_TLS_SERVER_CA_CERT_PATH,
 *   TEMPORAL_TLS_SERVER_NAME, TEMPORAL_PROFILE and TEMPORAL_CONFIG_FILE (a TOML file of profiles),
 * plus Redress's TEMPORAL_TASK_QUEUE. Without any, the local `npm start` instance (local-instance.ts) or
 * localhost:7233 and the `default` namespace.
 */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { withLocalInstance } from './local-instance';
import { dataConverterFrom } from './payload-codec';

export interface TemporalSettings {
  /** For NativeConnection.connect (workers) and Connection.connect / Connection.lazy (clients) alike. */
  connection: Pick<NativeConnectionOptions, 'address' | 'tls' | 'apiKey' | 'metadata'> & { address: string };
  namespace: string;
  taskQueue: string;
  /** Where, for messages: the address and namespace, never a key. */
  describe(): string;
}

export function temporalSettings(env: NodeJS.ProcessEnv = process.env, opts: { localInstance?: boolean } = {}): TemporalSettings {
  const vars = Object.fromEntries(Object.entries(opts.localInstance === false ? env : withLocalInstance(env)).filter((e): e is [string, string] => e[1] !== undefined));
  const { connectionOptions, namespace: configured } = loadClientConnectConfig({ overrideEnvVars: vars });
  const address = connectionOptions.address ?? 'localhost:7233';
  const namespace = configured ?? 'default';
  const taskQueue = vars.TEMPORAL_TASK_QUEUE ?? 'redress';
  const connection = {
    address,
    ...(connectionOptions.tls !== undefined ? { tls: connectionOptions.tls } : {}),
    ...(typeof connectionOptions.apiKey === 'string' ? { apiKey: connectionOptions.apiKey } : {}),
    ...(connectionOptions.metadata ? { metadata: connectionOptions.metadata } : {}),
  };
  const secured = connection.apiKey ? ', API key' : connection.tls ? ', TLS' : '';
  return { connection, namespace, taskQueue, describe: () => `${address} namespace ${namespace}${secured}` };
}

/** A client for scripts: connected with the settings above, payloads encrypted as the worker's. */
export async function connectClient(env: NodeJS.ProcessEnv = process.env): Promise<{ client: Client; settings: TemporalSettings; close(): Promise<void> }> {
  const settings = temporalSettings(env);
  const connection = await Connection.connect(settings.connection);
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: dataConverterFrom(withLocalInstance(env)) });
  return { client, settings, close: () => connection.close() };
}
