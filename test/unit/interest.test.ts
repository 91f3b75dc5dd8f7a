import { addDays, calendarDateAt, daysBetween, isCalendarDate } from '../../domain/calendar-date';
import { balanceAt, simpleInterestCents } from '../../domain/interest';
import { centsFromDb, divideRoundHalfUp, formatKes } from '../../domain/money';

// A real order: KSh 700,000 general damages and KSh 150,110 costs, both at 12% a year from 1 March 2017.
const damages = { amountCents: 70_000_000, rateBasisPoints: 1200, interestFrom: '2017-03-01' };
const costs = { amountCents: 15_011_000, rateBasisPoints: 1200, interestFrom: '2017-03-01' };

describe('calendar dates', () => {
  it('when a date does not exist, then it is not a calendar date', () => {
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2024-2-9')).toBe(false);
  });
  it('when counting days across a leap year, then the 29th of February counts', () => {
    expect(daysBetween('2017-03-01', '2024-03-01')).toBe(7 * 365 + 2);
    expect(addDays('2024-02-20', 21)).toBe('2024-03-12');
  });
  it('when it is 22:30 UTC, then it is already the next day in Nairobi', () => {
    expect(calendarDateAt(Date.UTC(2025, 0, 31, 22, 30))).toBe('2025-02-01');
    expect(calendarDateAt(Date.UTC(2025, 0, 31, 20, 59))).toBe('2025-01-31');
  });
});

describe('money', () => {
  it('when pg returns BIGINT as a string, then it is parsed exactly', () => {
    expect(centsFromDb('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => centsFromDb('9007199254740992')).toThrow(RangeError);
  });
  it('when a quotient ends in exactly one half, then it rounds up', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(4n, 3n)).toBe(1n);
    expect(divideRoundHalfUp(5n, 3n)).toBe(2n);
  });
  it('formats shillings for people, never for arithmetic', () => {
    expect(formatKes(85_011_000)).toBe('KSh 850,110.00');
    expect(formatKes(5)).toBe('KSh 0.05');
  });
});

describe('simple interest', () => {
  it('when one year has passed at 12%, then interest is 12% of the principal', () => {
    expect(simpleInterestCents(70_000_000, 1200, '2017-03-01', '2018-03-01')).toBe(8_400_000);
    expect(simpleInterestCents(15_011_000, 1200, '2017-03-01', '2018-03-01')).toBe(1_801_320);
  });
  it('when 2557 days have passed, then the exact quotient is rounded half up to the cent', () => {
    // 70,000,000 × 1200 × 2557 / 3,650,000 = 58,846,027.397… → 58,846,027
    expect(simpleInterestCents(70_000_000, 1200, '2017-03-01', '2024-03-01')).toBe(58_846_027);
    // 15,011,000 × 1200 × 2557 / 3,650,000 = 12,619,109.59… → 12,619,110
    expect(simpleInterestCents(15_011_000, 1200, '2017-03-01', '2024-03-01')).toBe(12_619_110);
  });
  it('when the date is not after the start, then no interest accrues', () => {
    expect(simpleInterestCents(70_000_000, 1200, '2017-03-01', '2017-03-01')).toBe(0);
    expect(simpleInterestCents(70_000_000, 1200, '2017-03-01', '2016-03-01')).toBe(0);
  });
  it('when the award is enormous, then bigint keeps the arithmetic exact', () => {
    // KSh 10 billion at 14% for 7305 days: 10^12 × 1400 × 7305 / 3,650,000 = 2,801,917,808,219.18…; the numerator exceeds 2^53.
    expect(simpleInterestCents(1_000_000_000_000, 1400, '2000-01-01', '2020-01-01')).toBe(2_801_917_808_219);
  });
});

describe('balance and appropriation', () => {
  it('when nothing is paid, then outstanding is the awards plus all interest (the real order, 1 March 2024)', () => {
    const b = balanceAt([damages, costs], [], '2024-03-01');
    expect(b.awardedCents).toBe(85_011_000);
    expect(b.interestAccruedCents).toBe(58_846_027 + 12_619_110);
    expect(b.outstandingCents).toBe(156_476_137);
    expect(b.paidCents).toBe(0);
  });
  it('when a payment is made, then it pays interest first and interest then runs on the smaller principal', () => {
    // On 1 March 2019 KSh 300,000 is paid; accrued interest then is 16,800,000 + 3,602,640 cents,
    // so 9,597,360 cents reduce the damages to 60,402,640; costs are untouched.
    const b = balanceAt([damages, costs], [{ paidOn: '2019-03-01', amountCents: 30_000_000 }], '2020-03-01');
    expect(b.components[0]!.principalOutstandingCents).toBe(60_402_640);
    expect(b.components[1]!.principalOutstandingCents).toBe(15_011_000);
    expect(b.outstandingCents).toBe(84_488_070);
    expect(b.interestAccruedCents).toBe(29_477_070);
    expect(b.paidCents).toBe(30_000_000);
  });
  it('when the order says principal first, then the payment reduces principal before interest', () => {
    const b = balanceAt([damages, costs], [{ paidOn: '2019-03-01', amountCents: 30_000_000 }], '2020-03-01', 'principal_first');
    expect(b.components[0]!.principalOutstandingCents).toBe(40_000_000);
    expect(b.outstandingCents).toBe(82_033_046);
    expect(b.interestAccruedCents).toBe(27_022_046);
  });
  it('when a payment is later than the balance date, then it is not counted yet', () => {
    const b = balanceAt([damages], [{ paidOn: '2030-01-01', amountCents: 1 }], '2018-03-01');
    expect(b.paidCents).toBe(0);
    expect(b.outstandingCents).toBe(70_000_000 + 8_400_000);
  });
  it('when everything owed on a date is paid on it, then nothing more accrues afterwards', () => {
    const owed = balanceAt([damages, costs], [], '2018-03-01').outstandingCents;
    const b = balanceAt([damages, costs], [{ paidOn: '2018-03-01', amountCents: owed }], '2026-11-26');
    expect(b.outstandingCents).toBe(0);
    expect(b.interestAccruedCents).toBe(8_400_000 + 1_801_320);
  });
  it('when a component earns interest from a later date (costs taxed later), then it accrues from that date only', () => {
    const taxedCosts = { ...costs, interestFrom: '2018-03-01' };
    const b = balanceAt([damages, taxedCosts], [], '2018-03-01');
    expect(b.interestAccruedCents).toBe(8_400_000);
  });
});
