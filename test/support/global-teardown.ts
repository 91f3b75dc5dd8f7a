import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  await (g.__redressTemporal as TestWorkflowEnvironment | undefined)?.teardown();
  const pgData = g.__redressPgData as string | undefined;
  if (pgData) execFileSync('bash', [resolve(__dirname, '../../scripts/pg-cluster.sh'), 'stop', pgData]);
}
