/**
 * How scripts find the Redress that `npm start` runs on this machine without any variable: while it runs,
 * npm start writes where its database and Temporal are to <data dir>/instance.json (0600; no secret in it), and
 * removes it when it stops. Variables that are set always win.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirOf } from '../db/embedded';

export interface LocalInstance {
  DATABASE_URL: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  /** npm start's process, to tell a live instance from a file left by a crash. */
  pid: number;
}

export function instanceFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDirOf(env), 'instance.json');
}

export function readLocalInstance(env: NodeJS.ProcessEnv = process.env): LocalInstance | null {
  const file = instanceFile(env);
  if (!existsSync(file)) return null;
  try {
    const instance = JSON.parse(readFileSync(file, 'utf8')) as LocalInstance;
    process.kill(instance.pid, 0); // throws when that npm start is gone
    return instance;
  } catch {
    return null;
  }
}

export function writeLocalInstance(instance: LocalInstance, env: NodeJS.ProcessEnv = process.env): () => void {
  const file = instanceFile(env);
  writeFileSync(file, `${JSON.stringify(instance, null, 2)}\n`, { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

/**
 * The environment with the local instance's settings filled in where nothing is set. Temporal settings come from
 * the instance only when no Temporal variable or profile is configured at all.
 */
export function withLocalInstance(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const local = readLocalInstance(env);
  if (!local) return env;
  const temporalConfigured = Object.keys(env).some((k) => /^TEMPORAL_(ADDRESS|NAMESPACE|API_KEY|PROFILE|CONFIG_FILE|TLS)/.test(k));
  return {
    ...env,
    DATABASE_URL: env.DATABASE_URL ?? local.DATABASE_URL,
    ...(temporalConfigured ? {} : { TEMPORAL_ADDRESS: local.TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: local.TEMPORAL_NAMESPACE }),
    TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE ?? local.TEMPORAL_TASK_QUEUE,
  };
}

/** DATABASE_URL, or the local instance's, or a message that says what to do. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = withLocalInstance(env).DATABASE_URL;
  if (!url) throw new Error('no database: start Redress with `npm start` in another terminal (this script then finds it), or set DATABASE_URL');
  return url;
}
