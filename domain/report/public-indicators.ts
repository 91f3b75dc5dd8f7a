/**
 * Indicator values as the public may see them, for the integrator to put in a release (domain/release/ is theirs):
 * the same disclosure rule as every public output (docs/suppression.md).
 * - A value stands on counts of orders, referrals, incidents or convictions. If any of them is 0 to 5 (the numerator,
 *   the denominator, or for a share the complement, denominator less numerator, which is the count of the opposite
 *   indicator) the value is withheld and the row says its basis is "5 or fewer".
 * - Shares are whole percentages and rates whole numbers per 100 (half up); no count is published beside them.
 * - Money is rounded as every public amount is (domain/release/publish.ts roundAmount: two significant figures,
 *   never finer than KSh 1 million).
 * - Medians are whole months (30.4375 days, half up), as the release publishes them.
 * - An amount adds up over the quarters of a year: when a quarter of a financial year is withheld, the year is
 *   withheld too, so the year less its other quarters cannot give the quarter away.
 */
import { divideRoundHalfUp } from '../money';
import { SMALL_MARKER, WITHHELD_MARKER, roundAmount } from '../release/publish';
import type { IndicatorDefinition } from './indicator-definitions';
import type { IndicatorValue } from './indicators';
import { type Period, financialYearOf } from './periods';

export const SMALL = 5;
export const NO_DATA_MARKER = 'no data';

export interface PublicIndicatorRow {
  indicator_id: string;
  period: string;
  period_kind: Period['kind'];
  name_en: string;
  name_sw: string;
  unit: 'percent' | 'months' | 'cents' | 'per_100';
  value: number | typeof WITHHELD_MARKER | typeof NO_DATA_MARKER;
  /** Why a value is withheld: its basis is 5 or fewer, or it would give a withheld quarter away. */
  basis: typeof SMALL_MARKER | 'more than 5' | 'withheld quarter' | null;
  /** True while the period has not ended: measured to the release date. */
  to_date: boolean;
  target: number | null;
  target_direction: 'at_least' | 'at_most' | null;
  source: string;
}

export interface ComputedIndicator {
  definition: Pick<IndicatorDefinition, 'id' | 'name' | 'target' | 'source'>;
  period: Pick<Period, 'id' | 'kind' | 'start'>;
  value: IndicatorValue & { partial: boolean };
}

const PUBLIC_UNIT = { percent: 'percent', days: 'months', cents: 'cents', per_100: 'per_100' } as const;
const small = (n: number | null) => n !== null && n >= 0 && n <= SMALL;

/** The counts a value stands on that could point at a few people. */
function smallBasis(v: IndicatorValue): boolean {
  const { numeratorCount: n, denominatorCount: d } = v;
  if (n === null && d === null) return true; // nothing to show that it stands on more than five
  const complement = v.unit === 'percent' && n !== null && d !== null ? d - n : null;
  return small(n) || small(d) || small(complement);
}

function publicValue(v: IndicatorValue): number {
  switch (v.unit) {
    case 'percent':
    case 'per_100':
      return Number(divideRoundHalfUp(BigInt(v.numerator!) * 100n, BigInt(v.denominator!)));
    case 'cents':
      return Number(roundAmount(BigInt(v.value!)));
    case 'days':
      return Math.floor(v.value! / 30.4375 + 0.5);
  }
}

export function publishableIndicatorRows(computed: ComputedIndicator[]): PublicIndicatorRow[] {
  const rows = computed.map((c): PublicIndicatorRow => {
    const { definition: d, value: v } = c;
    const base = {
      indicator_id: d.id, period: c.period.id, period_kind: c.period.kind, name_en: d.name.en, name_sw: d.name.sw, unit: PUBLIC_UNIT[v.unit],
      to_date: v.partial, target: d.target?.value ?? null, target_direction: d.target?.direction ?? null,
      source: d.source.recommendation ? `${d.source.law}; ${d.source.recommendation}` : d.source.law,
    };
    if (v.status === 'no_data') return { ...base, value: NO_DATA_MARKER, basis: null };
    if (v.status !== 'value' || smallBasis(v)) return { ...base, value: WITHHELD_MARKER, basis: SMALL_MARKER };
    return { ...base, value: publicValue(v), basis: 'more than 5' };
  });
  // Amounts add up over a year's quarters: a withheld quarter withholds its year.
  const withheldQuarterYears = new Set(rows.flatMap((r, i) => (r.unit === 'cents' && r.period_kind === 'quarter' && r.value === WITHHELD_MARKER
    ? [`${r.indicator_id}|${financialYearOf(computed[i]!.period.start)}`] : [])));
  return rows.map((r) => (r.unit === 'cents' && r.period_kind === 'financial_year' && typeof r.value === 'number' && withheldQuarterYears.has(`${r.indicator_id}|${r.period}`)
    ? { ...r, value: WITHHELD_MARKER, basis: 'withheld quarter' } : r));
}
