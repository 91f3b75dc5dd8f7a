/**
 * Generated claim facts for disclosure tests: reproducible (seeded) and shaped to stress suppression.
 */
import { VIOLATION_TYPES, type ViolationType } from '../../domain/claim/order';
import type { Stage } from '../../domain/claim/rules';
import type { ClaimFact } from '../../domain/release/claims-schema';

/** A small seeded generator (mulberry32), so every run builds the same data set. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STAGE_MIX: Stage[] = ['registered', 'certificate_issued', 'certificate_served', 'budget_allocated', 'disbursing', 'paid_in_full', 'settled', 'withdrawn'];

export function fact(random: () => number, overrides: Partial<ClaimFact> = {}): ClaimFact {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const stage = overrides.stage ?? pick(STAGE_MIX);
  const paid = stage === 'paid_in_full' || stage === 'settled';
  const awarded = (50 + Math.floor(random() * 5_000)) * 100_000; // KSh 50,000 to 5 million
  const types: ViolationType[] = random() < 0.15 ? [pick(VIOLATION_TYPES), pick(VIOLATION_TYPES)] : [pick(VIOLATION_TYPES)];
  // Drawn in the order the generator always drew them, so that every seeded data set keeps its shape.
  const yearOfJudgment = 2012 + Math.floor(random() * 12);
  const agencyId = pick(['national-police-service', 'kenya-defence-forces', 'kenya-prisons-service', 'office-of-the-attorney-general']);
  const escalationLevel = paid || stage === 'withdrawn' ? -1 : Math.floor(random() * 6) - 1;
  // Derived from the draws above (no draw of its own, so every seeded data set keeps its shape): overdue orders were
  // reminded, a third of them acknowledged; some paid orders were reminded before they were paid.
  const shillings = awarded / 100_000;
  const reminded = escalationLevel >= 0 || (paid && shillings % 5 === 0);
  return {
    yearOfJudgment,
    agencyId,
    violationTypes: [...new Set(types)],
    stage,
    escalationLevel,
    awardedCents: awarded,
    paidCents: paid ? awarded + Math.floor(random() * 1_000) * 100_000 : stage === 'disbursing' ? Math.floor(awarded / 3) : 0,
    outstandingCents: paid ? 0 : awarded + Math.floor(random() * 2_000) * 100_000,
    daysToFullPayment: paid ? 200 + Math.floor(random() * 3_000) : null,
    acknowledgment: !reminded ? 'none' : shillings % 3 === 0 ? 'acknowledged' : 'reminded',
    ...overrides,
  };
}

export function facts(seed: number, n: number, overrides: Partial<ClaimFact> = {}): ClaimFact[] {
  const random = seeded(seed);
  return Array.from({ length: n }, () => fact(random, overrides));
}
