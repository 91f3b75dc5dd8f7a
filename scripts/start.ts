/**
 * `npm start`: runs Redress on this machine. Uses DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL when set; otherwise
 * starts an embedded database (a PostgreSQL cluster where its binaries exist, PGlite otherwise; REDRESS_EMBEDDED_DB
 * chooses), a Temporal dev server and a local mailbox, whose data live in .redress-data/ and survive a restart.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { createDb, migrateLatest } from '../db/connection';
import { checkpointSigningKey, ensureLocalCheckpointKeys } from '../db/checkpoint-keys';
import { dataDirOf, embeddedKind, startEmbeddedDatabase } from '../db/embedded';
import { ensureLocalLinkKey, linkSignerFrom, linksFrom } from '../api/acknowledgments/link';
import { createRedressWorker } from '../worker/create-worker';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { loadApiSettings } from '../api/config';
import { LOG_REDACT, createApp } from '../api/http/app';
import { ensureMaintenanceSchedule } from '../worker/maintenance-schedule';
import { createMailer } from '../worker/mailer';
import { dataConverterFrom, localKeyFile, newPayloadKey, payloadCodecFrom } from '../worker/payload-codec';
import { ensureReleaseSchedule } from '../worker/release-schedule';
import { startLocalMailbox } from './local-mailbox';
import { devServerExecutable } from './temporal-binaries';

const dataDir = dataDirOf();

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const stops: (() => Promise<void> | void)[] = [];

  let databaseUrl = process.env.DATABASE_URL;
  let databaseNote = '';
  let poolSize: number | undefined;
  if (!databaseUrl) {
    const embedded = await startEmbeddedDatabase(embeddedKind(process.env.REDRESS_EMBEDDED_DB), dataDir);
    databaseUrl = embedded.url;
    poolSize = embedded.poolSize;
    databaseNote = embedded.kind === 'pglite' ? ' (PGlite, embedded; one connection)' : ' (PostgreSQL cluster)';
    stops.push(() => embedded.stop());
  }

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: devServerExecutable(), ip: '127.0.0.1', port: 7233, ui: true, uiPort: 8233,
        dbFilename: join(dataDir, 'temporal.sqlite'),
      },
    });
    temporalAddress = env.address;
    temporalUi = 'http://127.0.0.1:8233';
    stops.push(() => env.teardown());
  }

  let smtpUrl = process.env.SMTP_URL;
  let mailbox: string | undefined;
  if (!smtpUrl) {
    const local = await startLocalMailbox(join(dataDir, 'mail'));
    smtpUrl = local.url;
    mailbox = local.dir;
    stops.push(() => local.close());
  }

  // Temporal payloads are encrypted; the local key is kept beside the data so restarts can read old histories.
  if (!process.env.REDRESS_PAYLOAD_KEYS && !existsSync(localKeyFile(process.env))) {
    writeFileSync(localKeyFile(process.env), `${newPayloadKey('local1')}\n`, { mode: 0o600 });
  }
  const dataConverter = dataConverterFrom(process.env);
  // Chain checkpoints are signed with a key kept outside the database (db/checkpoint-keys.ts); a local pair here.
  ensureLocalCheckpointKeys(process.env);
  // Acknowledgment links in reminders to the State are signed with a key outside the database; a local one here.
  ensureLocalLinkKey(process.env);

  const db = createDb(databaseUrl, poolSize ? { max: poolSize } : {});
  const applied = await migrateLatest(db);
  if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
  const connection = await NativeConnection.connect({ address: temporalAddress });
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? 'redress';
  const worker = await createRedressWorker({
    connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default', taskQueue, db,
    mailer: createMailer(smtpUrl), mailFrom: process.env.MAIL_FROM ?? 'Redress <redress@localhost>', dataConverter, checkpointKey: checkpointSigningKey(process.env),
    ...linksFrom(process.env),
  });

  // The API and pages, in the same process for a one-command local run.
  const clientConnection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default', dataConverter });
  if (process.env.REDRESS_RELEASE_CRON !== 'off') await ensureReleaseSchedule(client, { taskQueue, cron: process.env.REDRESS_RELEASE_CRON });
  await ensureMaintenanceSchedule(client, taskQueue, { everyMinutes: Number(process.env.REDRESS_MAINTENANCE_MINUTES ?? 60) });
  const { app } = createApp({
    db, client, taskQueue, ...loadApiSettings(),
    payloadCodec: payloadCodecFrom(process.env), codecCorsOrigin: temporalUi, linkSigner: linkSignerFrom(process.env),
    logger: pino({ level: process.env.LOG_LEVEL ?? 'warn', redact: LOG_REDACT }),
  });
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  stops.push(() => new Promise<void>((r) => server.close(() => r())), () => clientConnection.close());

  console.log([
    'Redress is running.',
    `  pages & API: http://127.0.0.1:${port}/  (API docs at /docs; sign in at /signin)`,
    `  database:    ${databaseUrl}${databaseNote}`,
    `  temporal:    ${temporalAddress}${temporalUi ? ` (UI ${temporalUi}; payloads are encrypted: set the UI's codec endpoint to http://127.0.0.1:${port}/codec)` : ''}`,
    `  task queue:  ${taskQueue}`,
    `  mail:        ${mailbox ? `reminders are kept as .eml files in ${mailbox}` : smtpUrl.replace(/\/\/[^@]*@/, '//***@')}`,
    'Try it: npm run demo      (fictional claims across every stage, and users to sign in with)',
    '        npm run example   (registers one fictional claim and drives it to settlement)',
    'Stop with Ctrl-C.',
  ].join('\n'));

  try {
    await worker.run(); // returns after SIGINT/SIGTERM
  } finally {
    await connection.close();
    await db.destroy();
    for (const stop of stops.reverse()) await stop();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
