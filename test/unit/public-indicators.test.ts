/**
 * Indicator values turned into publishable rows: small counts withheld, shares whole percent, money rounded like
 * every public amount, medians in months, and a withheld quarter never recoverable from its year.
 */
import { roundAmount } from '../../domain/release/publish';
import { DEFAULT_INDICATOR_DOCUMENT } from '../../domain/report/indicator-definitions';
import type { IndicatorValue } from '../../domain/report/indicators';
import { parsePeriod } from '../../domain/report/periods';
import { type ComputedIndicator, publishableIndicatorRows } from '../../domain/report/public-indicators';

const def = (id: string) => DEFAULT_INDICATOR_DOCUMENT.indicators.find((d) => d.id === id)!;
const value = (v: Partial<IndicatorValue>): IndicatorValue & { partial: boolean } => ({
  status: 'value', reason: null, unit: 'percent', value: null, numerator: null, denominator: null, numeratorCount: null, denominatorCount: null, partial: false, ...v,
});
const share = (n: number, d: number) => value({ value: Math.round((n * 1000) / d) / 10, numerator: n, denominator: d, numeratorCount: n, denominatorCount: d });
const row = (id: string, period: string, v: IndicatorValue & { partial: boolean }): ComputedIndicator => ({ definition: def(id), period: parsePeriod(period)!, value: v });
const one = (c: ComputedIndicator) => publishableIndicatorRows([c])[0]!;

describe('publishable indicator rows', () => {
  it('when a numerator or a denominator is 0 to 5, then the value is withheld on a basis of "5 or fewer"', () => {
    for (const [n, d] of [[0, 40], [5, 40], [3, 5], [0, 0], [6, 6 + 5]] as const) {
      expect([n, d, one(row('awards_paid_within_12_months', '2025-Q1', share(n, d)))]).toEqual([n, d, expect.objectContaining({ value: 'withheld', basis: '5 or fewer' })]);
    }
  });

  it('when a share leaves 5 or fewer on the other side, then it is withheld too: the opposite indicator would count them', () => {
    expect(one(row('awards_paid_within_12_months', '2025-Q1', share(37, 40)))).toMatchObject({ value: 'withheld', basis: '5 or fewer' });
    expect(one(row('awards_paid_within_12_months', '2025-Q1', share(34, 40)))).toMatchObject({ value: 85, basis: 'more than 5' });
  });

  it('when a share is published, then it is a whole percentage rounded half up, with no counts beside it', () => {
    const r = one(row('first_appointment_on_time', '2025-Q1', share(13, 26 + 14)));
    expect(r).toEqual({
      indicator_id: 'first_appointment_on_time', period: '2025-Q1', period_kind: 'quarter', name_en: def('first_appointment_on_time').name.en,
      name_sw: def('first_appointment_on_time').name.sw, unit: 'percent', value: 33, basis: 'more than 5', to_date: false,
      target: 90, target_direction: 'at_least', source: def('first_appointment_on_time').source.law,
    });
    expect(one(row('first_appointment_on_time', '2025-Q1', share(9, 24))).value).toBe(38); // 37.5 -> 38
    expect(Object.keys(r)).not.toEqual(expect.arrayContaining(['numerator']));
  });

  it('when a share of money is published, then its basis is the referrals counted, not the shillings', () => {
    const funded = value({ value: 61.2, numerator: 6_120_000_00, denominator: 10_000_000_00, numeratorCount: 4, denominatorCount: 30 });
    expect(one(row('rehabilitation_need_funded', '2025-Q1', funded))).toMatchObject({ value: 'withheld', basis: '5 or fewer' });
    expect(one(row('rehabilitation_need_funded', '2025-Q1', { ...funded, numeratorCount: 12 })).value).toBe(61);
  });

  it('when money is published, then it is rounded as every public amount is, and withheld for 5 or fewer orders', () => {
    const interest = (cents: number, orders: number) => value({ unit: 'cents', value: cents, numerator: cents, numeratorCount: orders });
    expect(one(row('interest_paid_for_delay', '2024/25', interest(123_456_789_01, 9))).value).toBe(Number(roundAmount(123_456_789_01n)));
    expect(one(row('interest_paid_for_delay', '2024/25', interest(123_456_789_01, 9))).value).toBe(120_000_000_00);
    // Never finer than KSh 1 million: KSh 750,000 is published as 1 million, KSh 450,000 as 0.
    expect(one(row('interest_paid_for_delay', '2024/25', interest(750_000_00, 7))).value).toBe(100_000_000);
    expect(one(row('interest_paid_for_delay', '2024/25', interest(450_000_00, 7))).value).toBe(0);
    expect(one(row('interest_paid_for_delay', '2024/25', interest(9_999_999_99, 5))).value).toBe('withheld');
  });

  it('when a quarter\'s amount is withheld, then its financial year is withheld too, and other years are not', () => {
    const interest = (orders: number) => value({ unit: 'cents', value: 50_000_000_00, numerator: 50_000_000_00, numeratorCount: orders });
    const rows = publishableIndicatorRows([
      row('interest_paid_for_delay', '2024-Q3', interest(9)), row('interest_paid_for_delay', '2024-Q4', interest(2)),
      row('interest_paid_for_delay', '2025-Q1', interest(9)), row('interest_paid_for_delay', '2025-Q2', interest(9)),
      row('interest_paid_for_delay', '2024/25', interest(29)), row('interest_paid_for_delay', '2023/24', interest(40)),
    ]);
    expect(rows.map((r) => [r.period, r.value, r.basis])).toEqual([
      ['2024-Q3', 50_000_000_00, 'more than 5'], ['2024-Q4', 'withheld', '5 or fewer'], ['2025-Q1', 50_000_000_00, 'more than 5'],
      ['2025-Q2', 50_000_000_00, 'more than 5'], ['2024/25', 'withheld', 'withheld quarter'], ['2023/24', 50_000_000_00, 'more than 5'],
    ]);
  });

  it('when a median is published, then it is in whole months and needs six or more orders', () => {
    const median = (days: number, orders: number) => value({ unit: 'days', value: days, denominatorCount: orders });
    expect(one(row('median_days_to_full_payment', '2025-Q1', median(400, 6)))).toMatchObject({ unit: 'months', value: 13 }); // 400 / 30.4375 = 13.1
    expect(one(row('median_days_to_full_payment', '2025-Q1', median(400, 5))).value).toBe('withheld');
  });

  it('when the accountability track has no data, then the row says "no data"; an empty period is withheld like a zero', () => {
    expect(one(row('deaths_with_inquest_on_time', '2025-Q1', value({ status: 'no_data', reason: 'no incidents' })))).toMatchObject({ value: 'no data', basis: null });
    expect(one(row('deaths_with_inquest_on_time', '2025-Q1', value({ status: 'empty', numeratorCount: 0, denominatorCount: 0 })))).toMatchObject({ value: 'withheld', basis: '5 or fewer' });
  });

  it('when the rate per 100 incidents is published, then it is a whole number', () => {
    const rate = value({ unit: 'per_100', value: 6.7, numerator: 8, denominator: 120, numeratorCount: 8, denominatorCount: 120 });
    expect(one(row('convictions_per_100_incidents', '2024/25', rate))).toMatchObject({ value: 7, unit: 'per_100' });
  });
});
