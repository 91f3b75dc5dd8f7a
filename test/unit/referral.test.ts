import { type PriorityFacts, comparePriority, financialYearOf, newReferral, checkReferralCommand, referralRequestSchema } from '../../domain/referral';

const f = (over: Partial<PriorityFacts>): PriorityFacts => ({ urgentMedical: false, ageYears: 40, disability: false, queuedAt: 0, referralId: 'x', ...over });

describe('funding queue priority rule', () => {
  it('when referrals wait, then urgent medical need, vulnerable age, disability and waiting time decide, in that order', () => {
    const queue = [
      f({ referralId: 'plain-early', queuedAt: 1 }), f({ referralId: 'plain-late', queuedAt: 9 }),
      f({ referralId: 'disability', disability: true, queuedAt: 2 }), f({ referralId: 'child', ageYears: 12, queuedAt: 5 }),
      f({ referralId: 'elder', ageYears: 60, queuedAt: 6 }), f({ referralId: 'urgent', urgentMedical: true, queuedAt: 8 }),
      f({ referralId: 'urgent-child', urgentMedical: true, ageYears: 3, queuedAt: 9 }),
    ];
    expect(queue.sort(comparePriority).map((q) => q.referralId))
      .toEqual(['urgent-child', 'urgent', 'child', 'elder', 'disability', 'plain-early', 'plain-late']);
  });
  it('when a date is in July or later, then it belongs to the financial year starting that July', () => {
    expect(financialYearOf('2025-06-30')).toBe('2024/25');
    expect(financialYearOf('2025-07-01')).toBe('2025/26');
    expect(financialYearOf('2099-12-31')).toBe('2099/00');
  });
});

describe('referral steps', () => {
  const request = referralRequestSchema.parse({
    actor: 'adv', service: 'physiotherapy', beneficiary: { kind: 'survivor' },
    consent: { referral: true, shareAssessment: false, recordedOn: '2026-01-05' },
  });
  it('when a family member is referred without saying who they are, then the relationship is required', () => {
    const r = referralRequestSchema.safeParse({ ...request, beneficiary: { kind: 'family_member' } });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['beneficiary.relationship', 'relationship is required for a family member']]);
  });
  it('when a step is dated before consent, then it is refused naming the date', () => {
    const s = newReferral('r1', 'c1', request);
    expect(checkReferralCommand(s, { name: 'assessNeeds', input: { actor: 'a', assessedOn: '2026-01-04', assessedCostCents: 5, sessionsPlanned: 1 } }, '2026-11-26'))
      .toEqual({ kind: 'invalid', field: 'assessedOn', reason: 'assessedOn 2026-01-04 is before consent was recorded (2026-01-05)' });
  });
});
