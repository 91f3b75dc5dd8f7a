import { ApplicationFailure } from '@temporalio/common';
import type { RecordClaimEventInput } from '../../activities/claim/record';
import { verifyClaimChain } from '../../db/chain';
import { type Harness, claimSteps, countRows, createHarness, sampleOrder } from '../support/harness';

jest.setTimeout(90_000);

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(async () => { await h?.close(); });

const admin = 'admin-achieng';

describe('effects exactly once', () => {
  it('when the record activity fails after its database commit and is retried, then there is one event and one ledger row', async () => {
    const failedOnce = new Set<number>();
    const worker = await h.startWorker({
      faults: {
        // Simulates a crash between COMMIT and the activity's completion reaching Temporal.
        afterCommit: (input: RecordClaimEventInput, attempt: number) => {
          if (attempt === 1 && !failedOnce.has(input.sequence)) {
            failedOnce.add(input.sequence);
            throw ApplicationFailure.retryable(`injected failure after commit of event ${input.sequence}`);
          }
        },
      },
    });
    try {
      const { claimId } = await h.service.register(sampleOrder(), admin);
      await h.service.command(claimId, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
      await h.service.command(claimId, 'serveCertificate', { actor: admin, servedOn: '2017-03-24' });
      await h.service.command(claimId, 'allocateBudget', { actor: admin, amountCents: 50_000_000, budgetLine: 'R1021', financialYear: '2024/25', allocatedOn: '2024-07-10' });
      const paid = await h.service.command(claimId, 'recordTranche', { actor: admin, paymentReference: 'PV-ONCE-1', amountCents: 20_000_000, paidOn: '2024-08-01' });

      // Every recorded event (reminders included) had its first attempt fail after commit, and is there once.
      const all = (await h.service.record(claimId))!.events.map((e) => e.sequence);
      expect(all.filter((seq) => !failedOnce.has(seq))).toEqual([]);
      expect(all).toEqual(all.map((_, i) => i + 1));
      expect(paid.status.amounts.paidCents).toBe(20_000_000);
      expect((await claimSteps(h.db, claimId)).map((e) => e.type)).toEqual([
        'claim_registered', 'certificate_issued', 'certificate_served', 'budget_allocated', 'tranche_paid',
      ]);
      expect(await countRows(h.db, 'disbursements', { claim_id: claimId })).toBe(1);
      expect(await countRows(h.db, 'budget_allocations', { claim_id: claimId })).toBe(1);
      expect(await verifyClaimChain(h.db, claimId)).toMatchObject({ ok: true });
    } finally {
      await worker.stop();
    }
  });

  it('when the worker is stopped mid-claim and another starts, then the claim continues where it was', async () => {
    const first = await h.startWorker();
    const { claimId } = await h.service.register(sampleOrder(), admin);
    await h.service.command(claimId, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
    await first.stop();

    // With no worker running, the command waits in Temporal; a new worker (empty cache) replays and applies it.
    const pending = h.service.command(claimId, 'serveCertificate', { actor: admin, servedOn: '2017-03-24' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await claimSteps(h.db, claimId)).length).toBe(2);
    const second = await h.startWorker();
    try {
      const served = await pending;
      expect(served.status.stage).toBe('certificate_served');
      const allocated = await h.service.command(claimId, 'allocateBudget', { actor: admin, amountCents: 1_000_000, budgetLine: 'R1021', financialYear: '2024/25', allocatedOn: '2024-07-10' });
      expect(allocated.status.stage).toBe('budget_allocated');
      expect((await claimSteps(h.db, claimId)).map((e) => e.type)).toEqual([
        'claim_registered', 'certificate_issued', 'certificate_served', 'budget_allocated',
      ]);
      const rec = (await h.service.record(claimId))!;
      expect(rec.events.map((e) => e.sequence)).toEqual(rec.events.map((_, i) => i + 1));
      expect(await verifyClaimChain(h.db, claimId)).toMatchObject({ ok: true });
    } finally {
      await second.stop();
    }
  });

  it('when the database refuses writes for a while, then the step is recorded once it recovers', async () => {
    const worker = await h.startWorker();
    try {
      const { claimId } = await h.service.register(sampleOrder(), admin);
      // Lock the event table so the activity's insert times out; the update waits, then completes after release.
      const locker = await h.db.client.acquireConnection();
      await h.db.raw('BEGIN').connection(locker);
      await h.db.raw('SET LOCAL lock_timeout = 0').connection(locker);
      await h.db.raw('LOCK TABLE claim_events IN ACCESS EXCLUSIVE MODE').connection(locker);
      const issuing = h.service.command(claimId, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
      await new Promise((r) => setTimeout(r, 1_500));
      await h.db.raw('ROLLBACK').connection(locker);
      await h.db.client.releaseConnection(locker);
      const issued = await issuing;
      expect(issued.status.stage).toBe('certificate_issued');
      expect((await claimSteps(h.db, claimId)).map((e) => e.type)).toEqual(['claim_registered', 'certificate_issued']);
    } finally {
      await worker.stop();
    }
  });
});
