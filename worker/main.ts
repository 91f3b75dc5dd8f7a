/**
 * `npm run worker`: runs the Redress worker on its task queue until SIGINT/SIGTERM. Temporal is found through
 * worker/temporal-config.ts (address, namespace, TLS, API key); logs are JSON (pino), the SDK's metrics are on
 * REDRESS_WORKER_METRICS and the health endpoint on REDRESS_WORKER_HEALTH_PORT (worker/observability.ts).
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { checkpointSigningKey } from '../db/checkpoint-keys';
import { createDb } from '../db/connection';
import { loadConfig } from './config';
import { createRedressWorker } from './create-worker';
import { ensureMaintenanceSchedule } from './maintenance-schedule';
import { createMailer } from './mailer';
import { installWorkerRuntime, serveWorkerHealth } from './observability';
import { dataConverterFrom } from './payload-codec';
import { ensureReleaseSchedule } from './release-schedule';
import { registerSearchAttributes } from './search-attributes';
import { temporalSettings } from './temporal-config';
import { linksFrom } from './acknowledgment-link';


async function main(): Promise<void> {
  const config = loadConfig();
  const temporal = temporalSettings();
  const { logger, metricsAddress } = installWorkerRuntime();
  const db = createDb(config.DATABASE_URL);
  const connection = await NativeConnection.connect(temporal.connection);
  // Claims do not wait for the search attributes or the schedules: a worker that cannot set one up says so and
  // runs anyway (on Temporal Cloud, search attributes are added with tcld; docs/operations.md).
  const clientConnection = await Connection.connect(temporal.connection);
  await registerSearchAttributes(clientConnection, temporal.namespace)
    .catch((err) => logger.error(`the search attributes could not be registered (claims with search attributes will not progress until they are): ${(err as Error).message}`));
  const worker = await createRedressWorker({
    connection, namespace: temporal.namespace, taskQueue: temporal.taskQueue, db,
    mailer: createMailer(config.SMTP_URL), mailFrom: config.MAIL_FROM, dataConverter: dataConverterFrom(), checkpointKey: checkpointSigningKey(),
    maxCachedWorkflows: config.REDRESS_MAX_CACHED_WORKFLOWS,
    ...linksFrom(process.env),
    // Production workers load a prebuilt bundle (npm run bundle) instead of bundling at start-up.
    ...(process.env.REDRESS_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: process.env.REDRESS_WORKFLOW_BUNDLE } } : {}),
  });
  const scheduler = new Client({ connection: clientConnection, namespace: temporal.namespace, dataConverter: dataConverterFrom() });
  if (config.REDRESS_RELEASE_CRON !== 'off') {
    await ensureReleaseSchedule(scheduler, { taskQueue: temporal.taskQueue, cron: config.REDRESS_RELEASE_CRON })
      .catch((err) => logger.error(`the release Schedule could not be set up (releases only on demand): ${(err as Error).message}`));
  }
  await ensureMaintenanceSchedule(scheduler, temporal.taskQueue, { everyMinutes: config.REDRESS_MAINTENANCE_MINUTES })
    .catch((err) => logger.error(`the maintenance Schedule could not be set up (expired keys and sessions are not purged): ${(err as Error).message}`));
  await clientConnection.close();
  const health = config.REDRESS_WORKER_HEALTH_PORT === 'off' ? null : await serveWorkerHealth(worker, Number(config.REDRESS_WORKER_HEALTH_PORT));
  const healthPort = health ? (health.address() as import('node:net').AddressInfo).port : null;
  // The line tests and operators wait for (stdout, plain): where the worker polls and where to watch it.
  console.log(`redress worker: task queue ${temporal.taskQueue} on ${temporal.describe()}; health ${healthPort ? `:${healthPort}/health` : 'off'}; metrics ${metricsAddress ?? 'off'}`);
  try {
    await worker.run(); // the SDK shuts down gracefully on SIGINT and SIGTERM
  } finally {
    health?.close();
    await connection.close();
    await db.destroy();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
