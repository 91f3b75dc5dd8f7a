/** Money and rate columns of an import are parsed exactly from their decimal text, never through floating point. */
import { historySteps, parseHistory, percentToBasisPoints, shillingsToCents } from '../../api/import/orders-csv';
import { initialState, courtOrderSchema } from '../../domain/claim';

describe('exact decimal parsing', () => {
  it('when a rate is written as a percentage, then it becomes whole basis points exactly (1.15% is 115)', () => {
    expect(['1.15', '12', '14.5', '0.07', '100', '0', '4.1'].map(percentToBasisPoints)).toEqual([115, 1200, 1450, 7, 10_000, 0, 410]);
    // 0.07 and 4.1 are the values a float round trip gets wrong (0.07 * 100 = 7.000000000000001).
  });
  it('when a rate or amount is written with an exponent, in hexadecimal, with a sign or too many decimals, then it is refused', () => {
    expect(['1e1', '0x0C', '12.345', '-1', '+12', '100.01', '12,5', ' ', 'Infinity', '1_000'].map(percentToBasisPoints)).toEqual(Array(10).fill(null));
    expect(['1e6', '0x10', '-5', '1.005', '1,00', 'NaN', '12.', '.5'].map(shillingsToCents)).toEqual(Array(8).fill(null));
  });
  it('when an amount is written in shillings, then it becomes cents exactly, up to the largest exact integer', () => {
    expect(['700000', '150,110.50', '0.1', '90071992547409.91'].map(shillingsToCents)).toEqual([70_000_000, 15_011_050, 10, 9_007_199_254_740_991]);
    expect(shillingsToCents('90071992547409.92')).toBeNull();
  });
});

describe('a legacy order\'s history', () => {
  const order = courtOrderSchema.parse({
    court: 'High Court', caseNumber: 'P 1', judgmentDate: '2017-03-01', respondentAgencyId: 'a', survivorRef: 'S-001',
    violationTypes: ['torture'], advocateId: 'adv', components: [{ label: 'x', amountCents: 100, interestFrom: '2017-03-01' }],
  });
  it('when history columns are given, then their steps come in date order, a lift before and a stay after the day\'s other steps', () => {
    const problems: never[] = [];
    const history = parseHistory({
      certificate_issued_on: '2017-03-22', certificate_served_on: '2017-03-24', allocations: '500000|2018-07-10|R1|2018/19',
      tranches: 'PV-1|100|2019-06-30|2019-07-01', stays: '2019-02-01|2019-06-30|appeal; 2019-07-01||second appeal',
    }, 2, problems);
    expect(problems).toEqual([]);
    const steps = historySteps(history, initialState('c', order), [], 'me').map((s) => s.name);
    expect(steps).toEqual(['issueCertificate', 'serveCertificate', 'allocateBudget', 'grantStay', 'liftStay', 'recordTranche', 'confirmReceipt', 'grantStay']);
  });
  it('when a history column is malformed, then each problem names the column and the entry', () => {
    const problems: { line: number; column: string; rule: string }[] = [];
    parseHistory({ allocations: '5|2018-13-01|R1|2018/20', tranches: 'PV 1|0|2019-01-01', stays: '2019-01-01' }, 7, problems);
    expect(problems).toEqual([
      { line: 7, column: 'allocations', rule: 'allocation 1: financial year must be like 2024/25' },
      { line: 7, column: 'allocations', rule: 'allocation 1: allocated_on must be a calendar date YYYY-MM-DD' },
      { line: 7, column: 'tranches', rule: 'tranche 1: payment reference must be 1-64 letters, digits or / _ . -' },
      { line: 7, column: 'tranches', rule: 'tranche 1 must be an amount in shillings above 0, like 250000 or 150,110.50' },
      { line: 7, column: 'stays', rule: 'stay 1 must be granted_on|lifted_on|reason (lifted_on empty while it runs)' },
    ]);
  });
});
