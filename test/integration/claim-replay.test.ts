/**
 * Every committed history of a shipped workflow type must replay on today's code. A change that breaks one
 * must go behind patched(). Add a history with `temporal workflow show -w <workflowId> -o json` (docs/workflows.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';

jest.setTimeout(60_000);

const dir = join(__dirname, '../replay/histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('replay of committed workflow histories (claims, releases, incidents and their tracks, referrals)', () => {
  it('when there are committed histories, then there are at least two of them', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('when %s is replayed on the current workflow code, then it replays without nondeterminism', async (file) => {
    // The JSON as `temporal workflow show -o json` wrote it; the worker converts it with its own protobuf types.
    const history: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    await expect(Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.REDRESS_WORKFLOW_BUNDLE! }, replayName: file },
      history, file,
    )).resolves.toBeUndefined();
  });
});
