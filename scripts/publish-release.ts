/**
 * `npm run publish-release`: publishes a release of the public figures now, through the release workflow (as the
 * daily schedule does), and prints its number, or why the current one stays.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { cleanEnv, str } from 'envalid';
import { dataConverterFrom } from '../worker/payload-codec';
import { type BuildReleaseResult, releaseWorkflowId } from '../workflows/release/messages';

async function main(): Promise<number> {
  const env = cleanEnv(process.env, {
    TEMPORAL_ADDRESS: str({ default: 'localhost:7233' }), TEMPORAL_NAMESPACE: str({ default: 'default' }), TEMPORAL_TASK_QUEUE: str({ default: 'redress' }),
  });
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFrom() });
    const id = releaseWorkflowId(randomUUID());
    const result: BuildReleaseResult = await client.workflow.execute('releaseWorkflow', {
      taskQueue: env.TEMPORAL_TASK_QUEUE, workflowId: id, args: [{ trigger: 'administrator', requestKey: id, requestedBy: 'npm run publish-release' }],
    });
    if (result.outcome === 'skipped') { console.log(`release ${result.number} stays current: ${result.reason}`); return 1; }
    console.log(`release ${result.number} published: ${result.claims} claims, figures as of ${result.asOf}`);
    return 0;
  } finally {
    await connection.close();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
