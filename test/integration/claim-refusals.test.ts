import { CommandRefused, InvalidInput } from '../../api/claims/service';
import type { CommandInput, CommandName } from '../../domain/claim';
import { type Harness, claimSteps, countRows, createHarness, sampleOrder } from '../support/harness';

jest.setTimeout(60_000);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
});
afterAll(async () => { await h?.close(); });

const admin = 'admin-achieng';

async function registered(overrides: Record<string, unknown> = {}) {
  return (await h.service.register(sampleOrder(overrides), admin)).claimId;
}
async function served() {
  const id = await registered();
  await h.service.command(id, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
  await h.service.command(id, 'serveCertificate', { actor: admin, servedOn: '2017-03-24' });
  return id;
}
async function allocated() {
  const id = await served();
  await h.service.command(id, 'allocateBudget', { actor: admin, amountCents: 100_000_000, budgetLine: 'R1021', financialYear: '2024/25', allocatedOn: '2024-07-10' });
  return id;
}

/** Sends a command that must be refused, and checks the record did not change. */
async function expectRefused<N extends CommandName>(claimId: string, name: N, input: CommandInput<N> | Record<string, unknown>) {
  const before = (await claimSteps(h.db, claimId)).length;
  const ledgerBefore = await countRows(h.db, 'disbursements', { claim_id: claimId });
  const err = await h.service.command(claimId, name, input as CommandInput<N>).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CommandRefused);
  expect((await claimSteps(h.db, claimId)).length).toBe(before);
  expect(await countRows(h.db, 'disbursements', { claim_id: claimId })).toBe(ledgerBefore);
  return (err as CommandRefused).refusal;
}

describe('claim refusals: each is refused with its reason and nothing is recorded', () => {
  it('when a certificate is dated before judgment + 21 days, then it is refused', async () => {
    const id = await registered();
    const r = await expectRefused(id, 'issueCertificate', { actor: admin, issuedOn: '2017-03-21' });
    expect(r).toMatchObject({ kind: 'invalid', field: 'issuedOn' });
    expect(r.reason).toMatch(/cannot issue before 2017-03-22/);
  });

  it('when the budget is allocated before the certificate is served, then it is refused', async () => {
    const id = await registered();
    await h.service.command(id, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
    const r = await expectRefused(id, 'allocateBudget', { actor: admin, amountCents: 1_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-10' });
    expect(r.kind).toBe('conflict');
    expect(r.reason).toMatch(/before the certificate of order is served/);
  });

  it('when a tranche is above the outstanding amount, then it is refused', async () => {
    const id = await allocated();
    const r = await expectRefused(id, 'recordTranche', { actor: admin, paymentReference: 'PV-9', amountCents: 900_000_000, paidOn: '2024-08-01' });
    expect(r).toMatchObject({ kind: 'invalid', field: 'amountCents' });
    expect(r.reason).toMatch(/more than the \d+ cents outstanding on 2024-08-01/);
  });

  it.each([
    ['zero', 0, 'must be more than 0'],
    ['negative', -500, 'must be more than 0'],
    ['fractional', 10.5, 'whole number of cents'],
  ])('when a tranche amount is %s, then it is refused naming amountCents', async (_label, amountCents, rule) => {
    const id = await allocated();
    const r = await expectRefused(id, 'recordTranche', { actor: admin, paymentReference: 'PV-1', amountCents, paidOn: '2024-08-01' });
    expect(r).toMatchObject({ kind: 'invalid', field: 'amountCents' });
    expect(r.reason).toContain(rule);
  });

  it('when a command carries an unknown field, then it is refused naming the field', async () => {
    const id = await registered();
    const r = await expectRefused(id, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22', amount: 5 });
    expect(r.reason).toContain('unknown field(s): amount');
  });

  it('when a tranche repeats its payment reference, then the first result is returned and nothing is paid twice', async () => {
    const id = await allocated();
    const tranche = { actor: admin, paymentReference: 'PV-2024-77', amountCents: 5_000_000, paidOn: '2024-08-01' };
    const first = await h.service.command(id, 'recordTranche', tranche);
    const again = await h.service.command(id, 'recordTranche', tranche);
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, sequence: first.sequence });
    expect(again.status.amounts.paidCents).toBe(5_000_000);
    expect(await countRows(h.db, 'disbursements', { claim_id: id })).toBe(1);
    const r = await expectRefused(id, 'recordTranche', { ...tranche, amountCents: 6_000_000 });
    expect(r.field).toBe('paymentReference');
  });

  it('when a claim is stayed, then steps wait for the lift, and after the lift they proceed', async () => {
    const id = await served();
    await h.service.command(id, 'grantStay', { actor: admin, grantedOn: '2018-02-01', reason: 'appeal pending in the Court of Appeal' });
    expect((await h.service.record(id))!.stayed).toBe(true);
    const r = await expectRefused(id, 'allocateBudget', { actor: admin, amountCents: 1_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-10' });
    expect(r.reason).toMatch(/stayed since 2018-02-01/);
    await expectRefused(id, 'grantStay', { actor: admin, grantedOn: '2018-02-02', reason: 'again' });
    await h.service.command(id, 'liftStay', { actor: admin, liftedOn: '2019-05-01' });
    expect((await h.service.record(id))!.stayed).toBe(false);
    const ok = await h.service.command(id, 'allocateBudget', { actor: admin, amountCents: 1_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-10' });
    expect(ok.status.stage).toBe('budget_allocated');
    await expectRefused(id, 'liftStay', { actor: admin, liftedOn: '2024-07-11' });
  });

  it('when a claim is withdrawn, then its workflow ends and any further step is refused', async () => {
    const id = await served();
    const w = await h.service.command(id, 'withdraw', { actor: admin, withdrawnOn: '2019-01-15', reason: 'claimant withdrew the petition' });
    expect(w.status.stage).toBe('withdrawn');
    const r = await expectRefused(id, 'allocateBudget', { actor: admin, amountCents: 1_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-10' });
    expect(r).toMatchObject({ kind: 'conflict' });
    expect(r.reason).toContain('withdrawn');
    expect((await h.service.record(id))!.stage).toBe('withdrawn');
  });

  it('when an enforcement step comes out of order or with an absurd period, then it is refused', async () => {
    const id = await served();
    const r = await expectRefused(id, 'grantMandamus', { actor: 'adv-wanjiru', grantedOn: '2018-01-01', complianceDays: 14 });
    expect(r).toMatchObject({ kind: 'conflict' });
    expect(r.reason).toMatch(/out of order: file the application for mandamus first/);
    await h.service.command(id, 'serveEnforcementNotice', { actor: 'adv-wanjiru', servedOn: '2017-06-01' });
    await h.service.command(id, 'fileMandamus', { actor: 'adv-wanjiru', filedOn: '2017-07-01' });
    const neg = await expectRefused(id, 'grantMandamus', { actor: 'adv-wanjiru', grantedOn: '2017-08-01', complianceDays: -5 });
    expect(neg).toMatchObject({ kind: 'invalid', field: 'complianceDays' });
    const show = await expectRefused(id, 'findContempt', { actor: 'adv-wanjiru', foundOn: '2017-09-01', purgeDays: 30 });
    expect(show.reason).toMatch(/serve the notice to show cause first/);
  });

  it('when a judgment is set aside, then the claim ends', async () => {
    const id = await registered();
    const s = await h.service.command(id, 'setAside', { actor: admin, setAsideOn: '2017-06-01', reason: 'judgment set aside on appeal' });
    expect(s.status.stage).toBe('set_aside');
    await expectRefused(id, 'issueCertificate', { actor: admin, issuedOn: '2017-06-02' });
  });

  it('when an order names an unknown agency or breaks field rules, then registration is refused and nothing starts', async () => {
    const unknown = await h.service.register(sampleOrder({ respondentAgencyId: 'ministry-of-magic' }), admin).then(() => null, (e: unknown) => e);
    expect(unknown).toBeInstanceOf(InvalidInput);
    expect((unknown as InvalidInput).issues).toEqual([{ field: 'respondentAgencyId', rule: 'unknown agency ministry-of-magic' }]);

    const bad = await h.service.register(sampleOrder({ judgmentDate: '2017-02-30', components: [], survivorRef: 'Jane Wanjiku Doe' }), admin)
      .then(() => null, (e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidInput);
    expect((bad as InvalidInput).issues.map((i) => i.field).sort()).toEqual(['components', 'judgmentDate', 'survivorRef']);
    expect(await countRows(h.db, 'claims', {})).toBeGreaterThan(0); // other tests' claims exist; none with a bad order:
    expect(await countRows(h.db, 'claims', { respondent_agency_id: 'ministry-of-magic' })).toBe(0);
  });
});
