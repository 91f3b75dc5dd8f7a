/**
 * `npm start`: runs Redress on this machine. Uses DATABASE_URL, Temporal's settings (TEMPORAL_ADDRESS and the rest of
 * worker/temporal-config.ts) and SMTP_URL when set; otherwise starts an embedded database (a PostgreSQL cluster where
 * its binaries exist, PGlite otherwise; REDRESS_EMBEDDED_DB chooses), a Temporal dev server and a local mailbox, whose
 * data live in .redress-data/ and survive a restart. While it runs, the scripts (npm run demo, example, import, …)
 * find it without any variable (worker/local-instance.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { createDb, migrateLatest } from '../db/connection';
import { checkpointSigningKey, ensureLocalCheckpointKeys } from '../db/checkpoint-keys';
import { dataDirOf, embeddedKind, startEmbeddedDatabase } from '../db/embedded';
import { ensureLocalLinkKey, linkSignerFrom, linksFrom } from '../worker/acknowledgment-link';
import { createRedressWorker } from '../worker/create-worker';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { loadApiSettings } from '../api/config';
import { LOG_REDACT, createApp } from '../api/http/app';
import { ensureMaintenanceSchedule } from '../worker/maintenance-schedule';
import { createMailer } from '../worker/mailer';
import { dataConverterFrom, localKeyFile, newPayloadKey, payloadCodecFrom } from '../worker/payload-codec';
import { ensureReleaseSchedule } from '../worker/release-schedule';
import { writeLocalInstance } from '../worker/local-instance';
import { registerSearchAttributes } from '../worker/search-attributes';
import { temporalSettings } from '../worker/temporal-config';
import { startLocalMailbox } from './local-mailbox';
import { devServerExecutable, toolsDir } from './temporal-binaries';

const dataDir = dataDirOf();
// The dev server's ports (another Temporal on 7233 can be left alone by choosing others).
const devServerPort = Number(process.env.REDRESS_DEV_SERVER_PORT ?? 7233);
const uiPort = Number(process.env.REDRESS_DEV_UI_PORT ?? 8233);

async function main(): Promise<void> {
  // The API's settings (where documents are kept among them) are checked before anything is started.
  const apiSettings = loadApiSettings();
  mkdirSync(dataDir, { recursive: true });
  const stops: (() => Promise<void> | void)[] = [];

  let databaseUrl = process.env.DATABASE_URL;
  let databaseNote = '';
  let poolSize: number | undefined;
  if (!databaseUrl) {
    const embedded = await startEmbeddedDatabase(embeddedKind(process.env.REDRESS_EMBEDDED_DB), dataDir);
    databaseUrl = embedded.url;
    poolSize = embedded.poolSize;
    databaseNote = embedded.kind === 'pglite' ? ` (PGlite, embedded; one connection; files in ${embedded.dir})` : ` (PostgreSQL cluster; files in ${embedded.dir})`;
    stops.push(() => embedded.stop());
  }

  // Temporal as configured (any TEMPORAL_* setting or profile), else a dev server of our own.
  const configured = Object.keys(process.env).some((k) => /^TEMPORAL_(ADDRESS|NAMESPACE|API_KEY|PROFILE|CONFIG_FILE|TLS)/.test(k));
  let temporal = temporalSettings(process.env, { localInstance: false });
  let temporalUi: string | undefined;
  if (!configured) {
    const env = await startDevServer();
    temporal = temporalSettings({ ...process.env, TEMPORAL_ADDRESS: env.address }, { localInstance: false });
    temporalUi = `http://127.0.0.1:${uiPort}`;
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
  const connection = await NativeConnection.connect(temporal.connection);
  const { taskQueue, namespace } = temporal;
  const clientConnection = await Connection.connect(temporal.connection);
  await registerSearchAttributes(clientConnection, namespace)
    .catch((err) => console.error(`search attributes not registered in ${namespace} (claims cannot progress until they are; docs/operations.md): ${(err as Error).message}`));
  const worker = await createRedressWorker({
    connection, namespace, taskQueue, db,
    mailer: createMailer(smtpUrl), mailFrom: process.env.MAIL_FROM ?? 'Redress <redress@localhost>', dataConverter, checkpointKey: checkpointSigningKey(process.env),
    ...linksFrom(process.env),
  });

  // The API and pages, in the same process for a one-command local run.
  const client = new Client({ connection: clientConnection, namespace, dataConverter });
  if (process.env.REDRESS_RELEASE_CRON !== 'off') await ensureReleaseSchedule(client, { taskQueue, cron: process.env.REDRESS_RELEASE_CRON });
  await ensureMaintenanceSchedule(client, taskQueue, { everyMinutes: Number(process.env.REDRESS_MAINTENANCE_MINUTES ?? 60) });
  const { app } = createApp({
    db, client, taskQueue, ...apiSettings,
    payloadCodec: payloadCodecFrom(process.env), codecCorsOrigin: temporalUi, linkSigner: linkSignerFrom(process.env),
    logger: pino({ level: process.env.LOG_LEVEL ?? 'warn', redact: LOG_REDACT }),
  });
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  stops.push(() => new Promise<void>((r) => server.close(() => r())), () => clientConnection.close());
  // The scripts find this instance while it runs (no secret in the file: the payload key stays in its own file).
  stops.push(writeLocalInstance({ DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.connection.address, TEMPORAL_NAMESPACE: namespace, TEMPORAL_TASK_QUEUE: taskQueue, pid: process.pid }));

  console.log([
    'Redress is running.',
    `  pages & API: http://127.0.0.1:${port}/  (API docs at /docs; sign in at /signin)`,
    `  database:    ${databaseUrl}${databaseNote}`,
    `  temporal:    ${temporal.describe()}${temporalUi ? ` (UI ${temporalUi}; payloads are encrypted: set the UI's codec endpoint to http://127.0.0.1:${port}/codec)` : ''}`,
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

/**
 * The Temporal CLI's dev server: the provisioned binary, or the SDK's download. Without either (no internet, nothing
 * provisioned) it says the one command that fixes it instead of a stack trace.
 */
async function startDevServer(): Promise<TestWorkflowEnvironment> {
  const executable = devServerExecutable();
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable, ip: '127.0.0.1', port: devServerPort, ui: true, uiPort, dbFilename: join(dataDir, 'temporal.sqlite') },
    });
    await registerSearchAttributes(env.connection, 'default');
    return env;
  } catch (err) {
    if (executable.type === 'existing-path') throw err;
    const fix = hasGo() ? 'npm run provision' : 'apt-get install -y golang-go && npm run provision';
    throw new StartFailure([
      'The Temporal dev server is not provisioned here, and downloading it failed',
      `(${(err as Error).message.split('\n')[0]}).`,
      `Fix: ${fix}   (builds it from its Go module into ${toolsDir()}; then npm start again)`,
      'Or point npm start at a running Temporal: TEMPORAL_ADDRESS=host:7233 npm start',
    ].join('\n'));
  }
}

class StartFailure extends Error {}

function hasGo(): boolean {
  try { execFileSync('go', ['version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

main().catch((err) => {
  // A failure with a fix is said plainly; anything else keeps its stack for a bug report.
  console.error(err instanceof StartFailure ? err.message : err);
  process.exit(1);
});
