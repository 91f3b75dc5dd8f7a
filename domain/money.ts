/**
 * Money is an integer count of minor units (KES cents). JavaScript numbers are exact for integers up to
 * 2^53 − 1 cents (about KSh 90 trillion), far above any award; products that could exceed that
 * (interest numerators) are computed in bigint.
 */
export type Cents = number;
export const CURRENCY = 'KES' as const;

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Converts a bigint result back to a safe number, refusing silently lossy values. */
export function centsFromBigInt(value: bigint): Cents {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} cents is outside the exact integer range`);
  }
  return Number(value);
}

/** Parses PostgreSQL BIGINT (returned by pg as a string) on purpose, never through a float. */
export function centsFromDb(value: string | number | bigint): Cents {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer amount: ${value}`);
    return value;
  }
  return centsFromBigInt(BigInt(value));
}

/** Divides a non-negative numerator by a positive denominator, rounding half up (documented rule). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideRoundHalfUp takes a non-negative numerator');
  return (2n * numerator + denominator) / (2n * denominator);
}

/** "KSh 1,234,567.89" for reminders and pages; never used for arithmetic. */
export function formatKes(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = BigInt(Math.abs(cents));
  const shillings = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${sign}KSh ${shillings}.${rest}`;
}
