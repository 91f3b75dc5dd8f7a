/**
 * The Victim Protection Fund's rules against real PostgreSQL (and, through referrals, the real dev server):
 * never over-committed, even under concurrent approvals; the queue follows the published priority rule; a
 * release lets the next referral through; and the ledger always reconciles.
 */
import { createFundActivities } from '../../activities/referral/fund';
import { fundReport } from '../../api/referral/service';
import { calendarDateAt } from '../../domain/calendar-date';
import { financialYearOf } from '../../domain/referral';
import { centsFromDb } from '../../domain/money';
import { referralStatusQuery, referralWorkflowId } from '../../workflows/referral/messages';
import { type Harness, createHarness, eventually, sampleOrder, sumCents } from '../support/harness';

jest.setTimeout(180_000);

let h: Harness;
const admin = 'admin-achieng';
const fundAdmin = 'vpf-administrator';
const today = calendarDateAt(Date.now());

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  await h.referrals.registerProvider({ id: 'clinic', name: 'Clinic (fictional)', services: ['medical', 'physiotherapy'], county: 'Mombasa', email: 'clinic@provider.test', capacity: 100 }, admin);
});
afterAll(async () => { await h?.close(); });

async function referralReadyForFunding(claimId: string, priority: { urgentMedical: boolean; ageYears: number; disability: boolean }) {
  const { referralId } = await h.referrals.requestReferral(claimId, {
    service: 'medical', beneficiary: { kind: 'survivor' }, consent: { referral: true, shareAssessment: true, recordedOn: today }, priority,
  }, 'adv-wanjiru');
  await h.referrals.command(referralId, 'assessNeeds', { actor: 'adv-wanjiru', assessedOn: today, assessedCostCents: 300_000, sessionsPlanned: 4 });
  await h.referrals.command(referralId, 'referToProvider', { actor: 'adv-wanjiru', referredOn: today, providerId: 'clinic' });
  return referralId;
}
const approve = (referralId: string, fy: string, amountCents = 300_000) => h.referrals.command(referralId, 'decideFunding', {
  actor: fundAdmin, decision: 'approve', amountCents, financialYear: fy, decidedOn: today,
});
const plain = { urgentMedical: false, ageYears: 40, disability: false };

async function reconciles(fy: string) {
  const report = await fundReport(h.db, fy);
  const rows = await h.db('fund_ledger').where({ financial_year: fy }).select('entry', 'amount_cents', 'referral_id');
  const sum = (entry: string) => rows.filter((r) => r.entry === entry).reduce((s, r) => s + centsFromDb(r.amount_cents), 0);
  expect(report.receivedCents).toBe(sum('receipt'));
  expect(report.uncommittedCents).toBe(sum('receipt') - sum('commitment') + sum('release'));
  expect(report.uncommittedCents).toBeGreaterThanOrEqual(0);
  // Per referral: what was committed is paid, released, or still owed to the provider, never less than zero.
  const referrals = new Set(rows.filter((r) => r.referral_id).map((r) => r.referral_id));
  let outstanding = 0;
  for (const id of referrals) {
    const mine = rows.filter((r) => r.referral_id === id);
    const owed = mine.reduce((s, r) => s + (r.entry === 'commitment' ? 1 : -1) * centsFromDb(r.amount_cents), 0);
    expect(owed).toBeGreaterThanOrEqual(0);
    outstanding += owed;
  }
  expect(report.outstandingCommitmentsCents).toBe(outstanding);
  return report;
}

it('when many approvals race for a small fund, then it is never over-committed and the rest wait in the queue', async () => {
  const fy = '2031/32';
  await h.referrals.receiveFunds({ financialYear: fy, amountCents: 1_000_000, reference: 'R-1', receivedOn: today }, fundAdmin);
  const { claimId } = await h.service.register(sampleOrder(), admin);
  const ids = [];
  for (let i = 0; i < 8; i++) ids.push(await referralReadyForFunding(claimId, plain));
  const results = await Promise.all(ids.map((id) => approve(id, fy)));
  expect(results.filter((r) => r.stage === 'funded')).toHaveLength(3);
  expect(results.filter((r) => r.stage === 'funding_queued')).toHaveLength(5);
  const report = await reconciles(fy);
  expect([report.committedCents, report.uncommittedCents, report.waitingList.length]).toEqual([900_000, 100_000, 5]);
  expect(report.medianWaitDays).toBe(0);
});

it('when twenty commitments hit PostgreSQL at once, then the year lock serialises them and the trigger is the last guard', async () => {
  const fy = '2032/33';
  const fund = createFundActivities({ db: h.db });
  const { recordFundReceipt } = await import('../../activities/referral/fund');
  await recordFundReceipt(h.db, { financialYear: fy, amountCents: 700, reference: 'R-1', receivedOn: today, actor: fundAdmin });
  const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    fund.requestCommitment({ referralId: `direct-${i}`, financialYear: fy, amountCents: 100, actor: fundAdmin })));
  expect(outcomes.filter((o) => o.outcome === 'committed')).toHaveLength(7);
  await reconciles(fy);
  // Bypassing the code: the database itself refuses a commitment beyond the balance.
  await expect(h.db('fund_ledger').insert({ financial_year: fy, entry: 'commitment', amount_cents: 1, referral_id: 'rogue', reference: 'rogue', actor: 'x' }))
    .rejects.toThrow(/over-committed/);
  // Retrying a commitment changes nothing.
  expect(await fund.requestCommitment({ referralId: 'direct-0', financialYear: fy, amountCents: 100, actor: fundAdmin })).toMatchObject({ outcome: expect.any(String) });
  expect((await reconciles(fy)).committedCents).toBe(700);
});

it('when money arrives for a queue, then referrals are admitted by the published priority rule, and each learns it is funded', async () => {
  const fy = '2033/34';
  const { claimId } = await h.service.register(sampleOrder(), admin);
  const queued: Record<string, string> = {};
  // Queued in this order; admitted: urgent medical, then the two of vulnerable age (older first: it waited longer), then disability, then the rest.
  for (const [name, priority] of [
    ['plain', plain], ['disability', { ...plain, disability: true }], ['urgent', { ...plain, urgentMedical: true }],
    ['elder', { ...plain, ageYears: 70 }], ['child', { ...plain, ageYears: 9 }],
  ] as const) {
    queued[name] = await referralReadyForFunding(claimId, priority);
    expect((await approve(queued[name]!, fy)).stage).toBe('funding_queued');
  }
  const order: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { admitted } = await h.referrals.receiveFunds({ financialYear: fy, amountCents: 300_000, reference: `R-${i}`, receivedOn: today }, fundAdmin);
    expect(admitted).toHaveLength(1);
    order.push(Object.entries(queued).find(([, id]) => id === admitted[0])![0]);
  }
  expect(order).toEqual(['urgent', 'elder', 'child', 'disability', 'plain']);
  const state = await eventually(() => h.env.client.workflow.getHandle(referralWorkflowId(queued.plain!)).query(referralStatusQuery), (s) => s.stage === 'funded');
  expect(state.funding?.committedOn).toBe(today);
  await reconciles(fy);
});

it('when a funded referral is discontinued, then its release lets the next queued referral through', async () => {
  const fy = '2034/35';
  await h.referrals.receiveFunds({ financialYear: fy, amountCents: 300_000, reference: 'R-1', receivedOn: today }, fundAdmin);
  const { claimId } = await h.service.register(sampleOrder(), admin);
  const first = await referralReadyForFunding(claimId, plain);
  const second = await referralReadyForFunding(claimId, plain);
  expect((await approve(first, fy)).stage).toBe('funded');
  expect((await approve(second, fy)).stage).toBe('funding_queued');
  await h.referrals.command(first, 'discontinue', { actor: 'adv-wanjiru', discontinuedOn: today, reason: 'treated elsewhere' });
  await eventually(() => h.env.client.workflow.getHandle(referralWorkflowId(second)).query(referralStatusQuery), (s) => s.stage === 'funded');
  const report = await reconciles(fy);
  expect([report.committedCents, report.releasedCents, report.uncommittedCents, report.waitingList.length]).toEqual([600_000, 300_000, 0, 0]);
  // Need is counted in the year the needs were assessed (today's), whichever year's money funds them.
  expect(report.needCents).toBe(0);
  const thisYear = await fundReport(h.db, financialYearOf(today));
  expect(thisYear.needCents).toBe(await sumCents(h.db, 'referrals', 'assessed_cost_cents', {}));
  expect(thisYear.needCents).toBeGreaterThanOrEqual(600_000);
});
