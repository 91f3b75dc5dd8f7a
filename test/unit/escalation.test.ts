import { type ClaimState, courtOrderSchema, evolve, initialState } from '../../domain/claim';
import {
  DAY_MS, DEFAULT_POLICY_DOCUMENT, dueReminders, lapseInstant, latestDueOccurrence, nextOccurrence, nextWake,
  openDeadlines, pause, policyDocumentSchema, recipientsAt, reconcile, resume,
} from '../../domain/escalation';

const stage = DEFAULT_POLICY_DOCUMENT.stages.payment;
const order = courtOrderSchema.parse({
  court: 'High Court at Nairobi', caseNumber: 'Petition 1 of 2020', judgmentDate: '2024-01-10',
  respondentAgencyId: 'national-police-service', survivorRef: 'SURV-1', violationTypes: ['torture'], advocateId: 'adv-1',
  components: [{ label: 'Damages', amountCents: 1_000_000, interestFrom: '2024-01-10' }],
});

function schedule(count: number): { level: number; occurrence: number; day: number }[] {
  const L = lapseInstant('2024-03-01', 0);
  const out = [];
  let prev = null;
  for (let i = 0; i < count; i++) {
    const o = nextOccurrence(L, stage, prev);
    out.push({ level: o.level, occurrence: o.occurrence, day: (o.at - L) / DAY_MS });
    prev = o;
  }
  return out;
}

describe('reminder schedule', () => {
  it('when a deadline lapses, then reminders climb the default ladder at 0, 14, 30, 60 and 90 days, weekly within each level', () => {
    expect(schedule(17).map((o) => `${o.level}@${o.day}`)).toEqual([
      '0@0', '0@7', '1@14', '1@21', '1@28', '2@30', '2@37', '2@44', '2@51', '2@58',
      '3@60', '3@67', '3@74', '3@81', '3@88', '4@90', '4@97',
    ]);
  });
  it('when a deadline falls on 1 March, then it lapses at the end of that day in Nairobi (21:00 UTC)', () => {
    expect(new Date(lapseInstant('2024-02-20', 10)).toISOString()).toBe('2024-03-01T21:00:00.000Z');
  });
  it('when the worker was away for weeks, then only the latest due reminder is due, not every one missed', () => {
    const L = lapseInstant('2024-03-01', 0);
    expect(latestDueOccurrence(L, stage, L - 1)).toBeNull();
    expect(latestDueOccurrence(L, stage, L)).toMatchObject({ level: 0, occurrence: 0 });
    expect(latestDueOccurrence(L, stage, L + 45 * DAY_MS)).toMatchObject({ level: 2, occurrence: 2, at: L + 44 * DAY_MS });
    expect(latestDueOccurrence(L, stage, L + 400 * DAY_MS)).toMatchObject({ level: 4, occurrence: 44 });
  });
  it('when a level is reached, then it is addressed to its roles and copies every earlier level', () => {
    expect(recipientsAt(stage, 0)).toEqual({ to: ['accounting_officer'], cc: [] });
    expect(recipientsAt(stage, 2)).toEqual({ to: ['attorney_general'], cc: ['accounting_officer', 'principal_secretary'] });
    expect(recipientsAt(stage, 4).to).toEqual(['knchr', 'commission_on_administrative_justice', 'advocate']);
    expect(stage.ladder[4]!.advocateNotice).toBe('ripe_for_mandamus');
  });
});

describe('deadline tracker', () => {
  const served: ClaimState = [
    { type: 'certificate_issued', issuedOn: '2024-02-01' } as const,
    { type: 'certificate_served', servedOn: '2024-02-02' } as const,
  ].reduce((s, e, i) => evolve(s, e, i + 2), initialState('c', order));

  it('when each stage opens, then the deadline owed at that stage is the one open', () => {
    expect(openDeadlines(initialState('c', order), DEFAULT_POLICY_DOCUMENT).map((d) => [d.key, d.owedBy, d.anchor, d.days]))
      .toEqual([['certificate_application', 'advocate', '2024-01-31', 14]]);
    expect(openDeadlines(served, DEFAULT_POLICY_DOCUMENT).map((d) => [d.key, d.owedBy, d.anchor, d.days]))
      .toEqual([['budget_allocation', 'state', '2024-02-02', 60]]);
  });
  it('when a stay lasts 20 days, then every deadline lapses exactly 20 days later and nothing is due meanwhile', () => {
    const t0 = lapseInstant('2024-02-02', 60) - 5 * DAY_MS;
    let t = reconcile({}, openDeadlines(served, DEFAULT_POLICY_DOCUMENT), t0, false);
    const before = t.budget_allocation!.lapsesAt;
    t = pause(t, t0);
    expect(nextWake(t, DEFAULT_POLICY_DOCUMENT)).toBeNull();
    expect(dueReminders(t, DEFAULT_POLICY_DOCUMENT, before + 10 * DAY_MS)).toEqual([]);
    t = resume(t, t0 + 20 * DAY_MS + 1234);
    expect(t.budget_allocation!.lapsesAt - before).toBe(20 * DAY_MS + 1234);
    expect(nextWake(t, DEFAULT_POLICY_DOCUMENT)).toBe(before + 20 * DAY_MS + 1234);
  });
  it('when the policy changes the period, then the lapse is recomputed and earlier stays still count', () => {
    const t0 = Date.UTC(2024, 2, 1);
    let t = reconcile({}, openDeadlines(served, DEFAULT_POLICY_DOCUMENT), t0, false);
    t = resume(pause(t, t0), t0 + 3 * DAY_MS);
    const shorter = { stages: { ...DEFAULT_POLICY_DOCUMENT.stages, budget_allocation: { ...DEFAULT_POLICY_DOCUMENT.stages.budget_allocation, days: 10 } } };
    t = reconcile(t, openDeadlines(served, shorter), t0 + 3 * DAY_MS, false);
    expect(t.budget_allocation!.lapsesAt).toBe(lapseInstant('2024-02-02', 10) + 3 * DAY_MS);
  });
});

describe('deadline policy validation', () => {
  const withStage = (kind: string, patch: object) => ({
    stages: { ...DEFAULT_POLICY_DOCUMENT.stages, [kind]: { ...DEFAULT_POLICY_DOCUMENT.stages[kind as 'payment'], ...patch } },
  });
  it.each([
    ['a negative period', withStage('payment', { days: -5 }), 'stages.payment.days', 'must be at least 1 day'],
    ['an absurd period', withStage('payment', { days: 100_000 }), 'stages.payment.days', 'must be at most 3650 days'],
    ['a zero cadence', withStage('payment', { cadenceDays: 0 }), 'stages.payment.cadenceDays', 'must be at least 1 day'],
    ['a ladder out of order', withStage('payment', { ladder: [{ afterDays: 0, roles: ['accounting_officer'] }, { afterDays: 0, roles: ['knchr'] }] }), 'stages.payment.ladder.1.afterDays', 'increasing order'],
    ['an unknown role', withStage('payment', { ladder: [{ afterDays: 0, roles: ['governor'] }] }), 'stages.payment.ladder.0.roles.0', 'Invalid enum value'],
    ['a period for a court-set deadline', withStage('mandamus_compliance', { days: 14 }), 'stages.mandamus_compliance.days', 'set by the court'],
  ])('when a policy has %s, then it is refused naming the field', (_label, doc, field, rule) => {
    const r = policyDocumentSchema.safeParse(doc);
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path.join('.') === field);
    expect(issue?.message).toContain(rule);
  });
});
