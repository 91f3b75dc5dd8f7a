/**
 * Each indicator against a generated (seeded) record, its expected value computed here independently: plain loops
 * over the generated facts with their own date and interest arithmetic, not the functions under test.
 */
import { DEFAULT_INDICATOR_DOCUMENT, type IndicatorDefinition, indicatorDocumentSchema } from '../../domain/report/indicator-definitions';
import {
  type ClaimIndicatorFacts, type IncidentIndicatorFacts, type IndicatorRecord, type ReferralIndicatorFacts, indicatorResults, indicatorValue,
} from '../../domain/report/indicators';
import { type Period, financialYearPeriod, parsePeriod, periodsEndingWith, previousPeriod } from '../../domain/report/periods';
import { seeded } from '../support/claim-facts';

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const plus = (d: string, days: number) => iso(ms(d) + days * DAY);
const diff = (a: string, b: string) => Math.round((ms(b) - ms(a)) / DAY);

/** Simple interest, one component, interest first: the test's own simulation of a decree. */
function simulate(principal: number, rate: number, from: string, tranches: { amountCents: number; paidOn: string }[]) {
  let p = BigInt(principal); let unpaid = 0n; let last = from;
  const accrue = (to: string) => {
    const days = diff(last, to);
    if (days > 0) { const n = p * BigInt(rate) * BigInt(days); unpaid += (2n * n + 3_650_000n) / 7_300_000n; last = to; }
  };
  const steps: { paidOn: string; interestTaken: number; owedAfter: number }[] = [];
  for (const t of [...tranches].sort((a, b) => ms(a.paidOn) - ms(b.paidOn))) {
    accrue(t.paidOn);
    let left = BigInt(t.amountCents);
    const take = left < unpaid ? left : unpaid;
    unpaid -= take; left -= take;
    p -= left < p ? left : p;
    steps.push({ paidOn: t.paidOn, interestTaken: Number(take), owedAfter: Number(p + unpaid) });
  }
  return { steps, owedOn: (d: string) => { const saved = { p, unpaid, last }; accrue(d); const owed = p + unpaid; ({ p, unpaid, last } = saved); return Number(owed); } };
}

function generate(seed: number): IndicatorRecord {
  const random = seeded(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const claims: ClaimIndicatorFacts[] = [];
  for (let i = 0; i < 400; i++) {
    const judgmentDate = plus('2019-01-01', int(0, 6 * 365));
    const certificateIssuedOn = random() < 0.9 ? plus(judgmentDate, int(21, 300)) : null;
    const principal = int(50, 5_000) * 10_000;
    const rate = random() < 0.7 ? 1200 : 1400;
    const tranches: { amountCents: number; paidOn: string }[] = [];
    if (certificateIssuedOn && random() < 0.7) {
      let on = certificateIssuedOn;
      for (let k = int(1, 3); k > 0; k--) {
        on = plus(on, int(20, 400));
        const owed = simulate(principal, rate, judgmentDate, tranches).owedOn(on);
        if (owed <= 0) break;
        // The last tranche often pays in full; otherwise a part.
        tranches.push({ amountCents: k === 1 && random() < 0.6 ? owed : Math.max(1, Math.floor(owed * random() * 0.6)), paidOn: on });
      }
    }
    const escalations = certificateIssuedOn && random() < 0.6
      ? Array.from({ length: int(1, 5) }, (_, level) => ({ level, on: plus(certificateIssuedOn, 60 + level * 20 + int(0, 10)) })) : [];
    claims.push({
      claimId: `c${i}`, judgmentDate, certificateIssuedOn, components: [{ amountCents: principal, rateBasisPoints: rate, interestFrom: judgmentDate }],
      appropriation: 'interest_first', tranches, closedOn: random() < 0.05 ? plus(judgmentDate, int(30, 900)) : null, escalations,
    });
  }
  const referrals: ReferralIndicatorFacts[] = Array.from({ length: 300 }, (_, i) => {
    const assessedOn = random() < 0.9 ? plus('2022-01-01', int(0, 3 * 365)) : null;
    const assessedCostCents = assessedOn ? int(10, 2_000) * 10_000 : null;
    const fundedOn = assessedOn && random() < 0.7 ? plus(assessedOn, int(3, 120)) : null;
    const firstAppointmentOn = fundedOn && random() < 0.8 ? plus(fundedOn, int(0, 30)) : null;
    return {
      referralId: `r${i}`, assessedOn, assessedCostCents, fundedOn, approvedCents: fundedOn ? Math.floor(assessedCostCents! * (0.5 + random() / 2)) : null,
      firstAppointmentOn, closedOn: random() < 0.1 && assessedOn ? plus(assessedOn, int(5, 60)) : null, firstAppointmentDays: 14,
    };
  });
  const incidents: IncidentIndicatorFacts[] = Array.from({ length: 300 }, (_, i) => {
    const documentedOn = plus('2022-01-01', int(0, 3 * 365));
    const investigationDueOn = plus(documentedOn, 30);
    const investigationOpenedOn = random() < 0.8 ? plus(documentedOn, int(0, 60)) : null;
    const investigationEndedOn = investigationOpenedOn && random() < 0.6 ? plus(investigationOpenedOn, int(30, 300)) : null;
    const death = random() < 0.3;
    return {
      incidentId: `i${i}`, documentedOn, investigationDueOn, investigationOpenedOn, investigationEndedOn,
      chargingDecisionOn: investigationEndedOn && random() < 0.5 ? plus(investigationEndedOn, int(0, 120)) : null,
      death, inquestDueOn: death ? plus(documentedOn, 90) : null, inquestOpenedOn: death && random() < 0.6 ? plus(documentedOn, int(10, 150)) : null,
      convictionDates: investigationEndedOn && random() < 0.3 ? Array.from({ length: int(1, 3) }, () => plus(investigationEndedOn, int(200, 700))) : [],
    };
  });
  return { claims, referrals, incidents };
}

const record = generate(20261126);
const def = (id: string) => DEFAULT_INDICATOR_DOCUMENT.indicators.find((d) => d.id === id)! as IndicatorDefinition;
const inPeriod = (p: { start: string; end: string }, d: string | null) => d !== null && ms(d) >= ms(p.start) && ms(d) <= ms(p.end);
const pct = (n: number, d: number) => Math.round((n * 1000) / d) / 10; // fine for counts; money shares use BigInt below

/** The independent expectations, one per indicator. */
const expected = {
  awards_paid_within_12_months(p: { start: string; end: string }) {
    let n = 0; let d = 0;
    for (const c of record.claims) {
      if (!c.certificateIssuedOn) continue;
      const t = new Date(ms(c.certificateIssuedOn)); t.setUTCFullYear(t.getUTCFullYear() + 1);
      const due = c.certificateIssuedOn.slice(5) === '02-29' ? `${Number(c.certificateIssuedOn.slice(0, 4)) + 1}-02-28` : iso(t.getTime());
      if (!inPeriod(p, due) || (c.closedOn && ms(c.closedOn) <= ms(due))) continue;
      d++;
      const full = simulate(c.components[0]!.amountCents, c.components[0]!.rateBasisPoints, c.judgmentDate, c.tranches).steps.find((s) => s.owedAfter <= 0);
      if (full && ms(full.paidOn) <= ms(due)) n++;
    }
    return { n, d };
  },
  median_days_to_full_payment(p: { start: string; end: string }) {
    const days: number[] = [];
    for (const c of record.claims) {
      const full = simulate(c.components[0]!.amountCents, c.components[0]!.rateBasisPoints, c.judgmentDate, c.tranches).steps.find((s) => s.owedAfter <= 0);
      if (full && c.certificateIssuedOn && inPeriod(p, full.paidOn)) days.push(diff(c.certificateIssuedOn, full.paidOn));
    }
    days.sort((a, b) => a - b);
    const mid = days.length >> 1;
    return { days, median: days.length % 2 ? days[mid]! : Math.round((days[mid - 1]! + days[mid]!) / 2) };
  },
  outstanding_escalated_to_level_4(p: { start: string; end: string }) {
    let n = 0; let d = 0;
    for (const c of record.claims) {
      if (ms(c.judgmentDate) > ms(p.end) || (c.closedOn && ms(c.closedOn) <= ms(p.end))) continue;
      if (simulate(c.components[0]!.amountCents, c.components[0]!.rateBasisPoints, c.judgmentDate, c.tranches.filter((t) => ms(t.paidOn) <= ms(p.end))).owedOn(p.end) <= 0) continue;
      d++;
      if (c.escalations.some((e) => e.level >= 4 && ms(e.on) <= ms(p.end))) n++;
    }
    return { n, d };
  },
  interest_paid_for_delay(p: { start: string; end: string }) {
    let total = 0; let orders = 0;
    for (const c of record.claims) {
      const paid = simulate(c.components[0]!.amountCents, c.components[0]!.rateBasisPoints, c.judgmentDate, c.tranches).steps
        .filter((s) => inPeriod(p, s.paidOn)).reduce((sum, s) => sum + s.interestTaken, 0);
      if (paid > 0) { total += paid; orders++; }
    }
    return { total, orders };
  },
  rehabilitation_need_funded(p: { start: string; end: string }) {
    let cost = 0n; let funded = 0n; let assessed = 0; let fundedCount = 0;
    for (const r of record.referrals) {
      if (!inPeriod(p, r.assessedOn)) continue;
      assessed++; cost += BigInt(r.assessedCostCents!);
      if (r.fundedOn && ms(r.fundedOn) <= ms(p.end)) { fundedCount++; funded += BigInt(r.approvedCents!); }
    }
    return { cost, funded, assessed, fundedCount, value: cost ? Number((funded * 2000n + cost) / (2n * cost)) / 10 : null };
  },
  first_appointment_on_time(p: { start: string; end: string }) {
    let n = 0; let d = 0;
    for (const r of record.referrals) {
      if (!r.fundedOn) continue;
      const due = plus(r.fundedOn, 14);
      const met = r.firstAppointmentOn !== null && ms(r.firstAppointmentOn) <= ms(due);
      if (!inPeriod(p, due) || (!met && r.closedOn && ms(r.closedOn) <= ms(due))) continue;
      d++; if (met) n++;
    }
    return { n, d };
  },
  incidents_investigated_on_time(p: { start: string; end: string }) {
    const cohort = record.incidents!.filter((i) => inPeriod(p, i.investigationDueOn));
    return { n: cohort.filter((i) => i.investigationOpenedOn && ms(i.investigationOpenedOn) <= ms(i.investigationDueOn!)).length, d: cohort.length };
  },
  investigations_with_charging_decision(p: { start: string; end: string }) {
    const cohort = record.incidents!.filter((i) => inPeriod(p, i.investigationEndedOn));
    return { n: cohort.filter((i) => i.chargingDecisionOn && ms(i.chargingDecisionOn) <= ms(p.end)).length, d: cohort.length };
  },
  deaths_with_inquest_on_time(p: { start: string; end: string }) {
    const cohort = record.incidents!.filter((i) => i.death && inPeriod(p, i.inquestDueOn));
    return { n: cohort.filter((i) => i.inquestOpenedOn && ms(i.inquestOpenedOn) <= ms(i.inquestDueOn!)).length, d: cohort.length };
  },
  convictions_per_100_incidents(p: { start: string; end: string }) {
    return {
      n: record.incidents!.reduce((sum, i) => sum + i.convictionDates.filter((c) => inPeriod(p, c)).length, 0),
      d: record.incidents!.filter((i) => inPeriod(p, i.documentedOn)).length,
    };
  },
};

const asOf = '2025-06-30';
const periods: Period[] = [...periodsEndingWith(parsePeriod('2025-Q2')!, 10), financialYearPeriod('2023/24'), financialYearPeriod('2024/25')];
const countShares = ['awards_paid_within_12_months', 'outstanding_escalated_to_level_4', 'first_appointment_on_time', 'incidents_investigated_on_time',
  'investigations_with_charging_decision', 'deaths_with_inquest_on_time'] as const;

describe('each indicator against a generated record', () => {
  it('when the record is generated, then every indicator has enough in its periods to be a real test', () => {
    for (const id of countShares) {
      const sizes = periods.map((p) => expected[id](p).d);
      expect(sizes.filter((d) => d > 0).length).toBeGreaterThan(periods.length / 2);
    }
    expect(periods.some((p) => expected.median_days_to_full_payment(p).days.length > 3)).toBe(true);
  });

  for (const id of countShares) {
    it(`when ${id} is computed per quarter and per financial year, then it equals the share counted independently`, () => {
      for (const p of periods) {
        const { n, d } = expected[id](p);
        const v = indicatorValue(def(id), record, p, asOf);
        expect([p.id, v.numerator, v.denominator, v.numeratorCount, v.denominatorCount]).toEqual([p.id, n, d, n, d]);
        expect([p.id, v.status, v.value]).toEqual(d ? [p.id, 'value', pct(n, d)] : [p.id, 'empty', null]);
      }
    });
  }

  it('when the median days from certificate to full payment is computed, then it is the median of the independently found full payments', () => {
    for (const p of periods) {
      const { days, median } = expected.median_days_to_full_payment(p);
      const v = indicatorValue(def('median_days_to_full_payment'), record, p, asOf);
      expect([p.id, v.denominatorCount, v.value]).toEqual([p.id, days.length, days.length ? median : null]);
    }
  });

  it('when the interest paid because of delay is computed, then it is the interest part of each period\'s tranches, to the cent', () => {
    for (const p of periods) {
      const { total, orders } = expected.interest_paid_for_delay(p);
      const v = indicatorValue(def('interest_paid_for_delay'), record, p, asOf);
      expect([p.id, v.value, v.numeratorCount, v.unit]).toEqual([p.id, total, orders, 'cents']);
    }
    const year = expected.interest_paid_for_delay(financialYearPeriod('2024/25'));
    const quarters = ['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2'].map((q) => expected.interest_paid_for_delay(parsePeriod(q)!).total);
    expect(year.total).toBeGreaterThan(0);
    expect(quarters.reduce((a, b) => a + b, 0)).toBe(year.total);
  });

  it('when the rehabilitation need funded is computed, then it is the committed share of the assessed cost, in cents', () => {
    for (const p of periods) {
      const e = expected.rehabilitation_need_funded(p);
      const v = indicatorValue(def('rehabilitation_need_funded'), record, p, asOf);
      expect([p.id, v.numerator, v.denominator, v.numeratorCount, v.denominatorCount, v.value])
        .toEqual([p.id, Number(e.funded), Number(e.cost), e.fundedCount, e.assessed, e.value]);
    }
  });

  it('when the convictions per 100 incidents are computed, then they are the period\'s convictions over its documented incidents', () => {
    for (const p of periods) {
      const { n, d } = expected.convictions_per_100_incidents(p);
      const v = indicatorValue(def('convictions_per_100_incidents'), record, p, asOf);
      expect([p.id, v.numerator, v.denominator, v.value]).toEqual([p.id, n, d, d ? pct(n, d) : null]);
    }
  });

  it('when the record has no incidents table, then the four accountability indicators say "no data" and the others still compute', () => {
    const without = { ...record, incidents: null };
    for (const d of DEFAULT_INDICATOR_DOCUMENT.indicators) {
      const v = indicatorValue(d, without, parsePeriod('2024-Q3')!, asOf);
      const accountability = ['incidents_investigated_on_time', 'investigations_with_charging_decision', 'deaths_with_inquest_on_time', 'convictions_per_100_incidents'].includes(d.id);
      expect([d.id, v.status]).toEqual([d.id, accountability ? 'no_data' : 'value']);
      if (accountability) expect(v.reason).toMatch(/no incidents/);
    }
  });

  it('when a period has not ended, then it is measured to date and a deadline after today is not counted yet', () => {
    const q = parsePeriod('2025-Q2')!;
    const v = indicatorValue(def('awards_paid_within_12_months'), record, q, '2025-05-15');
    expect(v.partial).toBe(true);
    expect(v.denominator).toBe(expected.awards_paid_within_12_months({ start: q.start, end: '2025-05-15' }).d);
    expect(indicatorValue(def('awards_paid_within_12_months'), record, parsePeriod('2025-Q3')!, '2025-05-15').status).toBe('empty');
  });

  it('when a definition changes its parameter, then the value follows it (levels and months are data, not code)', () => {
    const level3 = { computation: { kind: 'outstanding_escalated_to_level' as const, level: 3 } };
    const p = parsePeriod('2024-Q4')!;
    const n3 = record.claims.filter((c) => ms(c.judgmentDate) <= ms(p.end) && !(c.closedOn && ms(c.closedOn) <= ms(p.end))
      && simulate(c.components[0]!.amountCents, c.components[0]!.rateBasisPoints, c.judgmentDate, c.tranches.filter((t) => ms(t.paidOn) <= ms(p.end))).owedOn(p.end) > 0
      && c.escalations.some((e) => e.level >= 3 && ms(e.on) <= ms(p.end))).length;
    expect(indicatorValue(level3, record, p, asOf).numerator).toBe(n3);
    expect(n3).toBeGreaterThan(expected.outstanding_escalated_to_level_4(p).n);
  });

  it('when results are built for a quarter, then they carry two years of trend, the financial year to date and whether the target is met', () => {
    const [first] = indicatorResults([def('awards_paid_within_12_months')], record, parsePeriod('2024-Q4')!, asOf);
    expect(first!.trend.map((t) => t.period.id)).toEqual(['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4', '2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    const ytd = expected.awards_paid_within_12_months({ start: '2024-07-01', end: '2024-12-31' });
    expect(first!.financialYearToDate).toMatchObject({ period: { id: '2024/25' }, value: { numerator: ytd.n, denominator: ytd.d, partial: true } });
    expect(first!.meetsTarget).toBe(first!.value.value! >= 80);
  });
});

describe('periods', () => {
  it('when a calendar quarter is named, then it is also placed in its financial year', () => {
    expect(parsePeriod('2026-Q3')).toMatchObject({ start: '2026-07-01', end: '2026-09-30', kind: 'quarter', label: { en: expect.stringContaining('financial year 2026/27, quarter 1') } });
    expect(parsePeriod('2027-Q1')!.label.en).toContain('2026/27, quarter 3');
    expect(parsePeriod('2026-27')).toMatchObject({ id: '2026/27', start: '2026-07-01', end: '2027-06-30' });
    expect(parsePeriod('2024-Q1')!.end).toBe('2024-03-31');
    for (const bad of ['2026-Q5', '2026/28', '2026', 'Q3-2026', '2026-Q3 ']) expect(parsePeriod(bad)).toBeNull();
    expect(previousPeriod(parsePeriod('2026-Q1')!).id).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026/27')!).id).toBe('2025/26');
  });
});

describe('indicator definitions', () => {
  it('when a definition breaks a rule, then the field and the rule are named', () => {
    const bad = structuredClone(DEFAULT_INDICATOR_DOCUMENT) as unknown as { indicators: Record<string, unknown>[] };
    bad.indicators[0]!.target = { value: 120, direction: 'at_least' };
    bad.indicators[2]!.computation = { kind: 'outstanding_escalated_to_level', level: 12 };
    bad.indicators[3]!.computation = { kind: 'typed_in_value', value: 42 };
    const result = indicatorDocumentSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => i.path.join('.'));
    expect(issues).toEqual(expect.arrayContaining(['indicators.0.target.value', 'indicators.2.computation.level', 'indicators.3.computation.kind']));
    const twice = structuredClone(DEFAULT_INDICATOR_DOCUMENT);
    twice.indicators[1]!.id = twice.indicators[0]!.id;
    expect(indicatorDocumentSchema.safeParse(twice).error!.issues).toEqual([expect.objectContaining({ path: ['indicators', 1, 'id'], message: 'repeats the id awards_paid_within_12_months' })]);
  });
});
