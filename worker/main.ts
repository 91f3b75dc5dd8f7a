/** `npm run worker`: runs the Redress worker on the `redress` task queue until SIGINT/SIGTERM. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { checkpointSigningKey } from '../db/checkpoint-keys';
import { createDb } from '../db/connection';
import { loadConfig } from './config';
import { createRedressWorker } from './create-worker';
import { ensureMaintenanceSchedule } from './maintenance-schedule';
import { createMailer } from './mailer';
import { dataConverterFrom } from './payload-codec';
import { ensureReleaseSchedule } from './release-schedule';
import { linksFrom } from '../api/acknowledgments/link';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createRedressWorker({
    connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, db,
    mailer: createMailer(config.SMTP_URL), mailFrom: config.MAIL_FROM, dataConverter: dataConverterFrom(), checkpointKey: checkpointSigningKey(),
    maxCachedWorkflows: config.REDRESS_MAX_CACHED_WORKFLOWS,
    ...linksFrom(process.env),
    // Production workers load a prebuilt bundle (npm run bundle) instead of bundling at start-up.
    ...(process.env.REDRESS_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: process.env.REDRESS_WORKFLOW_BUNDLE } } : {}),
  });
  // Claims do not wait for the schedules: a worker that cannot set one up says so and runs anyway.
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const scheduler = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterFrom() });
  if (config.REDRESS_RELEASE_CRON !== 'off') {
    await ensureReleaseSchedule(scheduler, { taskQueue: config.TEMPORAL_TASK_QUEUE, cron: config.REDRESS_RELEASE_CRON })
      .catch((err) => console.error(`redress worker: the release Schedule could not be set up (releases only on demand): ${(err as Error).message}`));
  }
  await ensureMaintenanceSchedule(scheduler, config.TEMPORAL_TASK_QUEUE, { everyMinutes: config.REDRESS_MAINTENANCE_MINUTES })
    .catch((err) => console.error(`redress worker: the maintenance Schedule could not be set up (expired keys and sessions are not purged): ${(err as Error).message}`));
  await clientConnection.close();
  console.log(`redress worker: task queue ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}`);
  try {
    await worker.run(); // the SDK shuts down gracefully on SIGINT and SIGTERM
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
