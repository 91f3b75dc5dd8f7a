/**
 * A worker in a process of its own, so its resident memory can be read from /proc while claims are open.
 * Prints "ready" once polling. Env: DATABASE_URL, TEMPORAL_ADDRESS, TASK_QUEUE, SMTP_URL, MAX_CACHED, BUNDLE.
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createDb } from '../db/connection';
import { createRedressWorker } from '../worker/create-worker';
import { createMailer } from '../worker/mailer';
import { quietLogger } from '../test/support/quiet-logger';

async function main(): Promise<void> {
  Runtime.install({ logger: quietLogger });
  const db = createDb(process.env.DATABASE_URL!, { max: 10 });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await createRedressWorker({
    connection, namespace: 'default', taskQueue: process.env.TASK_QUEUE!, db,
    mailer: createMailer(process.env.SMTP_URL!), mailFrom: 'bench@redress.invalid',
    workflowBundle: { codePath: process.env.BUNDLE! }, maxCachedWorkflows: Number(process.env.MAX_CACHED ?? 10_000),
  });
  const running = worker.run();
  console.log('ready');
  await running;
  await connection.close();
  await db.destroy();
}

main().catch((err) => { console.error(err); process.exit(1); });
