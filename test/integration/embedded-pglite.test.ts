/**
 * `npm start` without PostgreSQL installed runs on PGlite (PostgreSQL in WebAssembly) behind pglite-socket. Here
 * the whole path runs on it: migrations, a worker recording a claim, the API reading it, a signed checkpoint, and a
 * restart.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { createClaimService } from '../../api/claims/service';
import { verifyClaimChain } from '../../db/chain';
import { compareWithCheckpoint, createCheckpoint, storedHeads, verifyCheckpointSignature } from '../../db/checkpoint';
import { readClaimRecord } from '../../db/claims';
import { MIGRATIONS, createDb, migrateLatest } from '../../db/connection';
import { embeddedKind } from '../../db/embedded';
import { createRedressWorker } from '../../worker/create-worker';
import { createMailer } from '../../worker/mailer';
import { TEST_DATA_CONVERTER, quietRuntime, sampleOrder } from '../support/harness';
import { spawnPglite } from '../support/processes';

jest.setTimeout(120_000);

describe('embedded PGlite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when REDRESS_EMBEDDED_DB names a kind, then that kind is used, and a wrong name is refused', () => {
    expect(embeddedKind('pglite')).toBe('pglite');
    expect(embeddedKind('postgres')).toBe('postgres');
    expect(() => embeddedKind('sqlite')).toThrow(/postgres or pglite/);
  });

  it('when a claim is registered on PGlite with a pool of one, then it is recorded, read back, and still there after a restart', async () => {
    quietRuntime();
    // In a process of its own, as `npm run pglite` runs it (npm start runs the same code in its own process).
    let pglite = await spawnPglite(dir);
    let db = createDb(pglite.url, { max: 1 });
    await expect(migrateLatest(db)).resolves.toEqual(MIGRATIONS);
    await db('advocates').insert({ id: 'adv-wanjiru', name: 'Wanjiru Test-Advocate', email: 'wanjiru@advocates.test' });

    const env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEMPORAL_TEST_ADDRESS!, client: { dataConverter: TEST_DATA_CONVERTER } });
    const taskQueue = `redress-pglite-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: env.address });
    const worker = await createRedressWorker({
      connection, namespace: 'default', taskQueue, db, dataConverter: TEST_DATA_CONVERTER,
      mailer: createMailer('smtp://127.0.0.1:9'), mailFrom: 'Redress test <redress@test.invalid>',
      workflowBundle: { codePath: process.env.REDRESS_WORKFLOW_BUNDLE! },
    });
    let claimId = '';
    try {
      await worker.runUntil(async () => {
        const claims = createClaimService({ client: env.client, db, taskQueue });
        const registered = await claims.register(sampleOrder(), 'admin-achieng');
        claimId = registered.claimId;
        expect(registered.created).toBe(true);
        await claims.command(claimId, 'issueCertificate', { actor: 'admin-achieng', issuedOn: '2017-03-22' });
        await claims.command(claimId, 'serveCertificate', { actor: 'admin-achieng', servedOn: '2017-03-24' });
        await claims.command(claimId, 'allocateBudget', { actor: 'admin-achieng', amountCents: 5_000_000, budgetLine: 'R1021', financialYear: '2024/25', allocatedOn: '2024-07-10' });
        const paid = await claims.command(claimId, 'recordTranche', { actor: 'admin-achieng', paymentReference: 'PV-PGLITE-1', amountCents: 1_000_000, paidOn: '2024-08-01' });
        expect(paid.status.amounts.paidCents).toBe(1_000_000);
      });
    } finally {
      await connection.close();
      await env.teardown();
    }
    const before = await readClaimRecord(db, claimId);
    // (A 2017 order is long overdue: escalations and queued reminders are recorded between the steps.)
    const steps = before?.events.map((e) => e.type).filter((t) => t !== 'deadline_escalated' && t !== 'reminder_queued');
    expect(steps).toEqual(['claim_registered', 'certificate_issued', 'certificate_served', 'budget_allocated', 'tranche_paid']);
    const signingKey = generateKeyPairSync('ed25519');
    const checkpoint = await createCheckpoint(db, signingKey.privateKey);
    expect(checkpoint.document).toMatchObject({ number: 1, claims: 1 });
    await db.destroy();
    await pglite.stop();

    // The same folder after a restart: the record, its chain and the money are as they were.
    pglite = await spawnPglite(dir);
    db = createDb(pglite.url, { max: 1 });
    try {
      await expect(migrateLatest(db)).resolves.toEqual([]);
      const after = await readClaimRecord(db, claimId);
      expect(after).toEqual(before);
      expect(after?.paidCents).toBe(1_000_000);
      const chain = await verifyClaimChain(db, claimId);
      expect(chain).toMatchObject({ ok: true });
      // The checkpoint signed before the restart still holds, for the claim as it stands.
      const heads = JSON.parse((await storedHeads(db, checkpoint.number))!);
      expect(heads).toEqual([[claimId, before!.lastSequence, chain.ok ? chain.headHash : null]]);
      expect(verifyCheckpointSignature(checkpoint, signingKey.publicKey)).toMatchObject({ ok: true });
      await expect(compareWithCheckpoint(db, heads)).resolves.toEqual([]);
    } finally {
      await db.destroy();
      await pglite.stop();
    }
  });
});
