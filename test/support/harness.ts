/**
 * Per test file: a database cloned from the migrated template, a client on the shared Temporal server, and
 * workers on a task queue of the file's own, all real. Workers can be stopped and started again mid-claim.
 */
import { type KeyObject, generateKeyPairSync, randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createClaimService } from '../../api/claims/service';
import { createLinkSigner } from '../../worker/acknowledgment-link';
import type { RecordFaults } from '../../activities/claim/record';
import { type Db, createDb } from '../../db/connection';
import type { DeliveryFaults } from '../../activities/escalation/deliver';
import { createEscalationService } from '../../api/escalation/service';
import { createIncidentService } from '../../api/incident/service';
import { createReferralService } from '../../api/referral/service';
import { createRedressWorker } from '../../worker/create-worker';
import { createMailer } from '../../worker/mailer';
import { dataConverterFrom } from '../../worker/payload-codec';
import { SmtpSink } from './smtp-sink';
import { quietLogger } from './quiet-logger';
import { TEMPLATE_DB } from './global-setup';

/** Every integration test on the shared server encrypts its Temporal payloads, as production does. */
export const TEST_PAYLOAD_KEYS = 'test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
export const TEST_DATA_CONVERTER = dataConverterFrom({ REDRESS_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS });
/** The key acknowledgment links are signed with in tests (workers sign, the API verifies). */
export const TEST_LINK_SIGNER = createLinkSigner(Buffer.alloc(32, 7));
export const TEST_LINKS = { signer: TEST_LINK_SIGNER, baseUrl: 'http://127.0.0.1:3000' };

let runtimeQuieted = false;
export function quietRuntime() {
  if (runtimeQuieted) return;
  runtimeQuieted = true;
  Runtime.install({ logger: quietLogger });
}

export interface WorkerFaults {
  faults?: RecordFaults;
  deliveryFaults?: DeliveryFaults;
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export interface Harness {
  /** The key the harness's workers sign chain checkpoints with (releases carry them), and its public half. */
  checkpointKey: KeyObject;
  checkpointPublicKey: string;
  db: Db;
  dbUrl: string;
  env: TestWorkflowEnvironment;
  taskQueue: string;
  service: ReturnType<typeof createClaimService>;
  escalation: ReturnType<typeof createEscalationService>;
  referrals: ReturnType<typeof createReferralService>;
  incidents: ReturnType<typeof createIncidentService>;
  smtp: SmtpSink;
  startWorker(opts?: WorkerFaults): Promise<RunningWorker>;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const name = `redress_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = createDb(process.env.DATABASE_URL!, { max: 1 });
  await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const db = createDb(url.toString());
  return {
    db, url: url.toString(),
    async drop() {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

export async function createHarness(opts: { continueAsNewAfterEvents?: number } = {}): Promise<Harness> {
  quietRuntime();
  const database = await createTestDatabase();
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEMPORAL_TEST_ADDRESS!, client: { dataConverter: TEST_DATA_CONVERTER } });
  const taskQueue = `redress-test-${randomUUID()}`;
  const workers: RunningWorker[] = [];
  const smtp = new SmtpSink();
  await smtp.start();
  const checkpointPair = generateKeyPairSync('ed25519');
  const service = createClaimService({
    client: env.client, db: database.db, taskQueue, continueAsNewAfterEvents: opts.continueAsNewAfterEvents,
  });

  async function startWorker(workerOpts: WorkerFaults = {}): Promise<RunningWorker> {
    const connection = await NativeConnection.connect({ address: env.address });
    const worker = await createRedressWorker({
      connection, namespace: 'default', taskQueue, db: database.db, ...workerOpts, dataConverter: TEST_DATA_CONVERTER,
      mailer: createMailer(smtp.url), mailFrom: 'Redress test <redress@test.invalid>', checkpointKey: checkpointPair.privateKey, links: TEST_LINKS,
      workflowBundle: { codePath: process.env.REDRESS_WORKFLOW_BUNDLE! },
      maxCachedWorkflows: 250, // the production default (worker/config.ts)
    });
    const running = worker.run();
    const handle: RunningWorker = {
      worker,
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connection.close();
        workers.splice(workers.indexOf(handle), 1);
      },
    };
    workers.push(handle);
    return handle;
  }

  return {
    checkpointKey: checkpointPair.privateKey, checkpointPublicKey: checkpointPair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    db: database.db, dbUrl: database.url, env, taskQueue, service, startWorker, smtp,
    escalation: createEscalationService({ client: env.client, db: database.db }),
    referrals: createReferralService({ client: env.client, db: database.db }),
    incidents: createIncidentService({ client: env.client, db: database.db, taskQueue, continueAsNewAfterEvents: opts.continueAsNewAfterEvents }),
    async close() {
      for (const w of [...workers]) await w.stop();
      await smtp.stop();
      await env.teardown();
      await database.drop();
    },
  };
}

/** Publishes a release through the release workflow on the harness's worker (as the schedule or POST /api/releases would). */
export async function publishRelease(h: Harness, requestedBy = 'test') {
  const { releaseWorkflowId } = await import('../../workflows/release/messages');
  const id = releaseWorkflowId(randomUUID());
  return h.env.client.workflow.execute('releaseWorkflow', { taskQueue: h.taskQueue, workflowId: id, args: [{ trigger: 'administrator', requestKey: id, requestedBy }] }) as
    Promise<import('../../workflows/release/messages').BuildReleaseResult>;
}

/** A realistic, clearly fictional court order. */
export function sampleOrder(overrides: Record<string, unknown> = {}) {
  return {
    court: 'High Court of Kenya at Nairobi',
    caseNumber: `Petition ${Math.floor(Math.random() * 1e9)} of 2016`,
    judgmentDate: '2017-03-01',
    respondentAgencyId: 'national-police-service',
    survivorRef: 'SURV-2016-0042',
    violationTypes: ['torture'],
    advocateId: 'adv-wanjiru',
    components: [
      { label: 'General damages', amountCents: 70_000_000, rateBasisPoints: 1200, interestFrom: '2017-03-01' },
      { label: 'Costs', amountCents: 15_011_000, rateBasisPoints: 1200, interestFrom: '2017-03-01' },
    ],
    ...overrides,
  };
}

export async function countRows(db: Db, table: string, where: Record<string, unknown>): Promise<number> {
  const row = await db(table).where(where).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export async function sumCents(db: Db, table: string, column: string, where: Record<string, unknown>): Promise<number> {
  const row = await db(table).where(where).sum({ total: column }).first();
  return Number(BigInt(row?.total ?? 0));
}

/** Polls `probe` until `accept` holds (real time, bounded): for effects that arrive by signal. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > until) throw new Error(`condition not reached; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Event types of the escalation capability, which interleave with a claim's own steps. */
export const ESCALATION_EVENT_TYPES = ['deadline_escalated', 'reminder_queued', 'policy_migrated', 'referral_requested', 'referral_step'];

/** The claim's own steps (commands), without reminders and escalations. */
export async function claimSteps(db: Db, claimId: string): Promise<{ sequence: number; type: string }[]> {
  return db('claim_events').where({ claim_id: claimId }).whereNotIn('type', ESCALATION_EVENT_TYPES)
    .orderBy('sequence').select('sequence', 'type');
}

/**
 * The HTTP API of a harness, listening on a free loopback port. `deps` overrides the app's dependencies: another
 * Db instance (a second API process has its own, and so its own credential cache), other settings.
 */
export async function startApi(h: Harness, deps: Partial<import('../../api/http/app').AppDeps> = {}): Promise<{ base: string; close(): Promise<void> }> {
  const { createApp } = await import('../../api/http/app');
  const pino = (await import('pino')).default;
  const { AesGcmPayloadCodec, parsePayloadKeys } = await import('../../worker/payload-codec');
  const { app } = createApp({
    db: h.db, client: h.env.client, taskQueue: h.taskQueue, logger: pino({ level: 'silent' }), rateLimitPerMinute: 1_000_000,
    payloadCodec: new AesGcmPayloadCodec(parsePayloadKeys(TEST_PAYLOAD_KEYS)), linkSigner: TEST_LINK_SIGNER, ...deps,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as import('node:net').AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A realistic, clearly fictional incident (a death in police custody: investigation and inquest tracks). */
export function sampleIncident(overrides: Record<string, unknown> = {}) {
  return {
    reference: `CASE/${Math.floor(Math.random() * 1e9)}`,
    occurredOn: '2026-01-10',
    county: 'nairobi',
    placeCategory: 'police_station',
    acts: [
      { act: 'torture', victimRef: 'VICT-2026-0001', perpetrator: { agencyId: 'national-police-service', unitCategory: 'regular_police' } },
      { act: 'death_in_custody', victimRef: 'VICT-2026-0001', claimantRef: 'FAM-2026-0001', perpetrator: { agencyId: 'national-police-service', unitCategory: 'regular_police' } },
    ],
    sources: [{ kind: 'documenting_organisation', on: '2026-01-12' }],
    interventions: [{ kind: 'complaint_to_oversight_body', on: '2026-01-13' }],
    ...overrides,
  };
}

/** Incident events of one chain that are steps (without openings, reminders and escalations). */
export async function incidentSteps(db: Db, incidentId: string, track: string): Promise<string[]> {
  return db('incident_events').where({ incident_id: incidentId, track })
    .whereNotIn('type', ['track_opened', 'deadline_escalated', 'reminder_queued']).orderBy('sequence').pluck('type');
}
