/**
 * `npm run publish-release`: publishes a release of the public figures now, through the release workflow (as the
 * daily schedule does), and prints its number, or why the current one stays.
 */
import { randomUUID } from 'node:crypto';
import { connectClient } from '../worker/temporal-config';
import { type BuildReleaseResult, releaseWorkflowId } from '../workflows/release/messages';

async function main(): Promise<number> {
  const { client, settings, close } = await connectClient();
  try {
    const id = releaseWorkflowId(randomUUID());
    const result: BuildReleaseResult = await client.workflow.execute('releaseWorkflow', {
      taskQueue: settings.taskQueue, workflowId: id, args: [{ trigger: 'administrator', requestKey: id, requestedBy: 'npm run publish-release' }],
    });
    if (result.outcome === 'skipped') { console.log(`release ${result.number} stays current: ${result.reason}`); return 1; }
    console.log(`release ${result.number} published: ${result.claims} claims, figures as of ${result.asOf}`);
    return 0;
  } finally {
    await close();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
