/**
 * Where the Temporal servers come from: an explicit path, a binary provisioned by
 * scripts/provision-temporal.sh, a `temporal` on PATH, or else the SDK's own download (needs internet).
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';

const tools = process.env.REDRESS_TOOLS_DIR ?? resolve(__dirname, '../.tools');

/** Where npm run provision puts what it builds (REDRESS_TOOLS_DIR, default .tools in the project). */
export function toolsDir(): string {
  return tools;
}

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)).find((p) => existsSync(p));
}

export function devServerExecutable(): EphemeralServerExecutable {
  const path = process.env.TEMPORAL_CLI_PATH
    ?? [join(tools, 'bin/temporal')].find(existsSync)
    ?? onPath('temporal');
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}

export function timeSkippingExecutable(): EphemeralServerExecutable {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH ?? [join(tools, 'java-test-server/test-server')].find(existsSync);
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}
