import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities';

export interface RedressWorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (production, tests); without it the workflows are bundled at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Cached open claims; each costs memory but saves replaying its history on the next command. */
  maxCachedWorkflows?: number;
  /** With a payload codec, everything the worker sends to Temporal is encrypted (worker/payload-codec.ts). */
  dataConverter?: DataConverter;
}

export function workflowsPath(): string {
  return require.resolve('../workflows');
}

export async function createRedressWorker(opts: RedressWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: workflowsPath() }),
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
  });
}
