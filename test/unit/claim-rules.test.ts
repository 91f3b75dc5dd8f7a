import {
  type AnyCommand, type ClaimState, type CourtOrder, type Decision,
  claimIdFor, courtOrderSchema, decide, evolve, initialState, statusOf,
} from '../../domain/claim';

const order: CourtOrder = courtOrderSchema.parse({
  court: 'High Court at Nairobi', caseNumber: 'Petition 123 of 2016', judgmentDate: '2017-03-01',
  respondentAgencyId: 'national-police-service', survivorRef: 'SURV-0001', violationTypes: ['torture'],
  advocateId: 'adv-1',
  components: [
    { label: 'General damages', amountCents: 70_000_000, interestFrom: '2017-03-01' },
    { label: 'Costs', amountCents: 15_011_000, interestFrom: '2017-03-01' },
  ],
});
const today = '2026-11-26';
let seq = 1;

function step(state: ClaimState, command: AnyCommand): ClaimState {
  const d = decide(state, command, today);
  if (d.outcome !== 'accepted') throw new Error(`expected acceptance, got ${JSON.stringify(d)}`);
  return evolve(state, d.event, ++seq);
}
function refusal(d: Decision) {
  if (d.outcome !== 'refused') throw new Error(`expected refusal, got ${d.outcome}`);
  return d.refusal;
}
const a = 'admin-1';
const served = () => {
  let s = initialState(claimIdFor(order.court, order.caseNumber), order);
  s = step(s, { name: 'issueCertificate', input: { actor: a, issuedOn: '2017-03-22' } });
  return step(s, { name: 'serveCertificate', input: { actor: a, servedOn: '2017-03-23' } });
};
const allocated = () => step(served(), { name: 'allocateBudget', input: { actor: a, amountCents: 200_000_000, budgetLine: 'VOTE-1021', financialYear: '2024/25', allocatedOn: '2024-07-15' } });

describe('court order', () => {
  it('when the same court and case are typed differently, then they get the same claim id', () => {
    expect(claimIdFor('High Court at Nairobi', 'Petition 123 of 2016'))
      .toBe(claimIdFor('  high court AT nairobi ', 'PETITION 123/OF/2016'.replace(/\//g, ' ')));
  });
  it('when an order has an unknown field, a bad date and a float amount, then each field is named', () => {
    const r = courtOrderSchema.safeParse({ ...order, extra: 1, judgmentDate: '2017-02-30', components: [{ label: 'x', amountCents: 10.5, interestFrom: '2017-03-01' }] });
    expect(r.success).toBe(false);
    const fields = r.error!.issues.map((i) => i.path.join('.') || i.code);
    expect(fields).toEqual(expect.arrayContaining(['judgmentDate', 'components.0.amountCents', 'unrecognized_keys']));
  });
  it('when both dates are impossible (found by schemathesis), then each is refused instead of throwing', () => {
    const r = courtOrderSchema.safeParse({ ...order, judgmentDate: '0000-00-00', costsTaxedOn: '0000-00-00' });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['costsTaxedOn', 'judgmentDate']);
  });
  it('when no rate is given, then the 12% default applies', () => {
    expect(order.components[0]!.rateBasisPoints).toBe(1200);
  });
});

describe('claim stage rules', () => {
  it('when a certificate is dated before judgment + 21 days, then it is refused naming s.21', () => {
    const s = initialState('c', order);
    const r = refusal(decide(s, { name: 'issueCertificate', input: { actor: a, issuedOn: '2017-03-21' } }, today));
    expect(r).toMatchObject({ kind: 'invalid', field: 'issuedOn' });
    expect(r.reason).toContain('2017-03-22');
    expect(r.reason).toContain('s.21(1)');
  });
  it('when costs were taxed after judgment, then the 21 days run from taxation', () => {
    const s = initialState('c', { ...order, costsTaxedOn: '2017-06-01' });
    expect(refusal(decide(s, { name: 'issueCertificate', input: { actor: a, issuedOn: '2017-06-21' } }, today)).field).toBe('issuedOn');
    expect(decide(s, { name: 'issueCertificate', input: { actor: a, issuedOn: '2017-06-22' } }, today).outcome).toBe('accepted');
  });
  it('when a date is in the future, then it is refused', () => {
    const s = initialState('c', order);
    expect(refusal(decide(s, { name: 'issueCertificate', input: { actor: a, issuedOn: '2027-01-01' } }, today)).reason).toContain('future');
  });
  it('when the budget is allocated before the certificate is served, then it is refused', () => {
    let s = initialState('c', order);
    s = step(s, { name: 'issueCertificate', input: { actor: a, issuedOn: '2017-03-22' } });
    const r = refusal(decide(s, { name: 'allocateBudget', input: { actor: a, amountCents: 1, budgetLine: 'L', financialYear: '2024/25', allocatedOn: '2024-07-01' } }, today));
    expect(r).toMatchObject({ kind: 'conflict' });
    expect(r.reason).toContain('served on the Attorney General');
  });
  it('when a tranche exceeds the outstanding amount, then it is refused; the exact outstanding amount is accepted', () => {
    const s = allocated();
    const owed = statusOf(s, '2024-08-01').amounts.outstandingCents;
    const over = refusal(decide(s, { name: 'recordTranche', input: { actor: a, paymentReference: 'PV-1', amountCents: owed + 1, paidOn: '2024-08-01' } }, today));
    expect(over).toMatchObject({ kind: 'invalid', field: 'amountCents' });
    const paid = step(s, { name: 'recordTranche', input: { actor: a, paymentReference: 'PV-1', amountCents: owed, paidOn: '2024-08-01' } });
    expect(paid.stage).toBe('paid_in_full');
    expect(statusOf(paid, today).amounts.outstandingCents).toBe(0);
  });
  it('when a tranche repeats a payment reference, then the first is returned; with another amount, it is refused', () => {
    const s = step(allocated(), { name: 'recordTranche', input: { actor: a, paymentReference: 'PV-1', amountCents: 1_000_000, paidOn: '2024-08-01' } });
    expect(decide(s, { name: 'recordTranche', input: { actor: a, paymentReference: 'PV-1', amountCents: 1_000_000, paidOn: '2024-08-01' } }, today))
      .toEqual({ outcome: 'duplicate', sequence: s.tranches[0]!.sequence });
    expect(refusal(decide(s, { name: 'recordTranche', input: { actor: a, paymentReference: 'PV-1', amountCents: 2_000_000, paidOn: '2024-08-01' } }, today)).field).toBe('paymentReference');
  });
  it('when the claim is paid in full and every receipt confirmed, then it is settled and refuses further steps', () => {
    let s = allocated();
    const owed = statusOf(s, '2024-09-01').amounts.outstandingCents;
    s = step(s, { name: 'recordTranche', input: { actor: a, paymentReference: 'PV-1', amountCents: 50_000_000, paidOn: '2024-08-01' } });
    expect(s.stage).toBe('disbursing');
    s = step(s, { name: 'confirmReceipt', input: { actor: 'adv-1', paymentReference: 'PV-1', receivedOn: '2024-08-02' } });
    expect(s.stage).toBe('disbursing');
    const rest = statusOf(s, '2024-09-01').amounts.outstandingCents;
    expect(rest).toBeLessThan(owed);
    s = step(s, { name: 'recordTranche', input: { actor: a, paymentReference: 'PV-2', amountCents: rest, paidOn: '2024-09-01' } });
    expect(s.stage).toBe('paid_in_full');
    s = step(s, { name: 'confirmReceipt', input: { actor: 'adv-1', paymentReference: 'PV-2', receivedOn: '2024-09-03' } });
    expect(s.stage).toBe('settled');
    expect(refusal(decide(s, { name: 'grantStay', input: { actor: a, grantedOn: '2024-09-04', reason: 'appeal' } }, today)).reason).toContain('settled');
  });
  it('when a tranche is reversed, then it no longer counts and receipt of it cannot be confirmed', () => {
    let s = step(allocated(), { name: 'recordTranche', input: { actor: a, paymentReference: 'PV-1', amountCents: 1_000_000, paidOn: '2024-08-01' } });
    s = step(s, { name: 'reverseTranche', input: { actor: a, paymentReference: 'PV-1', reason: 'posted to the wrong claim' } });
    expect(statusOf(s, today).amounts.paidCents).toBe(0);
    expect(s.stage).toBe('budget_allocated');
    expect(refusal(decide(s, { name: 'confirmReceipt', input: { actor: 'adv-1', paymentReference: 'PV-1', receivedOn: '2024-08-02' } }, today)).field).toBe('paymentReference');
  });
  it('when the claim is stayed, then procedural steps wait for the lift but payment may still be recorded', () => {
    let s = served();
    s = step(s, { name: 'grantStay', input: { actor: a, grantedOn: '2018-01-10', reason: 'appeal pending' } });
    expect(refusal(decide(s, { name: 'allocateBudget', input: { actor: a, amountCents: 1, budgetLine: 'L', financialYear: '2024/25', allocatedOn: '2024-07-01' } }, today)).reason).toContain('stayed');
    expect(refusal(decide(s, { name: 'grantStay', input: { actor: a, grantedOn: '2018-01-11', reason: 'again' } }, today)).kind).toBe('conflict');
    expect(refusal(decide(s, { name: 'liftStay', input: { actor: a, liftedOn: '2018-01-09' } }, today)).field).toBe('liftedOn');
    s = step(s, { name: 'liftStay', input: { actor: a, liftedOn: '2019-01-10' } });
    expect(s.stay).toBeNull();
    expect(s.stage).toBe('certificate_served');
  });
  it('when a claim is withdrawn or set aside, then nothing more is accepted', () => {
    const w = step(initialState('c', order), { name: 'withdraw', input: { actor: a, withdrawnOn: '2018-01-01', reason: 'claimant withdrew' } });
    expect(w.stage).toBe('withdrawn');
    expect(refusal(decide(w, { name: 'issueCertificate', input: { actor: a, issuedOn: '2018-02-01' } }, today)).reason).toContain('withdrawn');
    const x = step(initialState('c', order), { name: 'setAside', input: { actor: a, setAsideOn: '2018-01-01', reason: 'judgment set aside on appeal' } });
    expect(x.stage).toBe('set_aside');
  });
});
