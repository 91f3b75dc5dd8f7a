import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { verifyClaimChain } from '../../db/chain';
import { type Harness, claimSteps, countRows, createHarness, sampleOrder } from '../support/harness';

jest.setTimeout(90_000);

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ continueAsNewAfterEvents: 40 });
  await h.startWorker();
});
afterAll(async () => { await h?.close(); });

const admin = 'admin-achieng';

async function claimWithTranches() {
  const { claimId } = await h.service.register(sampleOrder(), admin);
  await h.service.command(claimId, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
  await h.service.command(claimId, 'serveCertificate', { actor: admin, servedOn: '2017-03-24' });
  await h.service.command(claimId, 'allocateBudget', { actor: admin, amountCents: 50_000_000, budgetLine: 'R1021', financialYear: '2024/25', allocatedOn: '2024-07-10' });
  const paid = await h.service.command(claimId, 'recordTranche', { actor: admin, paymentReference: 'PV-1', amountCents: 10_000_000, paidOn: '2024-08-01' });
  await h.service.liveStatus(claimId);
  const events = await countRows(h.db, 'claim_events', { claim_id: claimId });
  return { claimId, trancheSequence: paid.sequence, events };
}

describe('the record is append-only and tamper-evident', () => {
  it('when anyone tries to update or delete an event or a ledger row, then PostgreSQL refuses', async () => {
    const { claimId, events } = await claimWithTranches();
    await expect(h.db('claim_events').where({ claim_id: claimId, sequence: 2 }).update({ actor: 'someone-else' }))
      .rejects.toThrow(/append-only/);
    await expect(h.db('claim_events').where({ claim_id: claimId }).delete()).rejects.toThrow(/append-only/);
    await expect(h.db('disbursements').where({ claim_id: claimId }).update({ amount_cents: 1 })).rejects.toThrow(/append-only/);
    await expect(h.db.raw('TRUNCATE disbursements CASCADE')).rejects.toThrow(/append-only/);
    // Nothing was removed (reminders may have been added meanwhile) and the chain is intact.
    const verdict = await verifyClaimChain(h.db, claimId);
    expect(verdict.ok).toBe(true);
    expect(verdict.events).toBeGreaterThanOrEqual(events);
  });

  it('when a stored event is altered behind the triggers, then verification names the first broken event', async () => {
    const { claimId, trancheSequence: n } = await claimWithTranches();
    await h.db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE claim_events DISABLE TRIGGER claim_events_append_only');
      await trx.raw(`UPDATE claim_events SET payload = jsonb_set(payload, '{amountCents}', '1000') WHERE claim_id = ? AND sequence = ?`, [claimId, n]);
      await trx.raw('ALTER TABLE claim_events ENABLE TRIGGER claim_events_append_only');
    });
    expect(await verifyClaimChain(h.db, claimId)).toMatchObject({
      ok: false, claimId, firstBrokenSequence: n, reason: `event ${n} was altered after it was recorded`,
    });
  });

  it('when an event in the middle is deleted behind the triggers, then verification names the gap', async () => {
    const { claimId } = await claimWithTranches();
    await h.db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE claim_events DISABLE TRIGGER claim_events_append_only');
      await trx('claim_events').where({ claim_id: claimId, sequence: 3 }).delete();
      await trx.raw('ALTER TABLE claim_events ENABLE TRIGGER claim_events_append_only');
    });
    expect(await verifyClaimChain(h.db, claimId)).toMatchObject({ ok: false, firstBrokenSequence: 3, reason: 'event 3 is missing' });
  });

  it('when the verify-chain command runs, then it reports each claim and exits non-zero on a broken chain', async () => {
    const { claimId: good, events } = await claimWithTranches();
    const url = h.dbUrl;
    const out = execFileSync('npx', ['tsx', resolve(__dirname, '../../scripts/verify-chain.ts'), good], {
      env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8',
    });
    expect(out).toMatch(new RegExp(`${good}: intact, \\d+ events`));
    expect(Number(/intact, (\d+) events/.exec(out)![1])).toBeGreaterThanOrEqual(events);
    const { claimId: bad } = await claimWithTranches();
    await h.db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE claim_events DISABLE TRIGGER claim_events_append_only');
      await trx.raw(`UPDATE claim_events SET actor = 'forged' WHERE claim_id = ? AND sequence = 2`, [bad]);
      await trx.raw('ALTER TABLE claim_events ENABLE TRIGGER claim_events_append_only');
    });
    let failed: { status: number; stdout: string } | null = null;
    try {
      execFileSync('npx', ['tsx', resolve(__dirname, '../../scripts/verify-chain.ts'), bad], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    } catch (err) {
      failed = err as { status: number; stdout: string };
    }
    expect(failed?.status).toBe(1);
    expect(failed?.stdout).toContain(`${bad}: BROKEN at event 2: event 2 was altered after it was recorded`);
  });
});

describe('continue-as-new', () => {
  it('when a claim\'s history grows long, then it continues as new carrying its state, and keeps recording in sequence', async () => {
    const { claimId } = await h.service.register(sampleOrder(), admin);
    const handle = h.env.client.workflow.getHandle(`claim-${claimId}`);
    const firstRunId = (await handle.describe()).runId;
    await h.service.command(claimId, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
    await h.service.command(claimId, 'serveCertificate', { actor: admin, servedOn: '2017-03-24' });
    // Stay and lift repeatedly: each pair adds two events and grows history past the 40-event threshold.
    for (let i = 0; i < 8; i++) {
      await h.service.command(claimId, 'grantStay', { actor: admin, grantedOn: '2018-01-01', reason: `appeal ${i}` });
      await h.service.command(claimId, 'liftStay', { actor: admin, liftedOn: '2018-02-01' });
    }
    const allocated = await h.service.command(claimId, 'allocateBudget', { actor: admin, amountCents: 1_000_000, budgetLine: 'R1021', financialYear: '2024/25', allocatedOn: '2024-07-10' });
    expect((await claimSteps(h.db, claimId)).length).toBe(20);
    expect(allocated.status.stage).toBe('budget_allocated');
    expect(allocated.status.certificate).toEqual({ issuedOn: '2017-03-22', servedOn: '2017-03-24' });
    const latestRunId = (await handle.describe()).runId;
    expect(latestRunId).not.toBe(firstRunId);
    const verdict = await verifyClaimChain(h.db, claimId);
    expect(verdict.ok).toBe(true);
    expect(verdict.events).toBeGreaterThanOrEqual(20);
  });
});
