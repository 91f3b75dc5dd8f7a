/**
 * The pending-bills report and the allocation view against examples worked by hand (the arithmetic is in the
 * comments: simple interest = principal x rate x days / 365, rounded half up to the cent once per period).
 */
import { type PendingOrderFacts, allocationView, pendingBillsReport } from '../../domain/report/pending-bills';

const police = 'national-police-service';
const prisons = 'kenya-prisons-service';
const agencies = new Map([[police, 'National Police Service'], [prisons, 'Kenya Prisons Service'], ['kenya-defence-forces', 'Kenya Defence Forces']]);

const order = (o: Partial<PendingOrderFacts> & Pick<PendingOrderFacts, 'claimId' | 'caseNumber'>): PendingOrderFacts => ({
  court: 'High Court of Kenya at Nairobi', agencyId: police, judgmentDate: '2019-01-15', certificateIssuedOn: null,
  components: [], appropriation: 'interest_first', tranches: [], stays: [], closedOn: null, ...o,
});

const orders: PendingOrderFacts[] = [
  // A3: KSh 200,000 at 12% from 2021-01-20; a tranche of KSh 50,000 was reversed (so not given here); stayed since 2024-11-01.
  order({ claimId: 'a3', caseNumber: 'Petition 3 of 2020', judgmentDate: '2021-01-20', certificateIssuedOn: '2021-03-01',
    components: [{ amountCents: 20_000_000, rateBasisPoints: 1200, interestFrom: '2021-01-20' }], stays: [{ grantedOn: '2024-11-01', liftedOn: null }] }),
  // A1: KSh 1,000,000 at 12% from 2019-01-15, nothing paid.
  order({ claimId: 'a1', caseNumber: 'Petition 1 of 2018', certificateIssuedOn: '2019-02-20',
    components: [{ amountCents: 100_000_000, rateBasisPoints: 1200, interestFrom: '2019-01-15' }] }),
  // A2: KSh 500,000 at 14% from 2020-06-01; KSh 100,000 paid on 2022-06-01 (interest first).
  order({ claimId: 'a2', caseNumber: 'Petition 2 of 2019', judgmentDate: '2020-06-01', certificateIssuedOn: '2020-07-01',
    components: [{ amountCents: 50_000_000, rateBasisPoints: 1400, interestFrom: '2020-06-01' }],
    tranches: [{ paymentReference: 'PV-A2-1', amountCents: 10_000_000, paidOn: '2022-06-01' }] }),
  // Paid in full (a rate of 0): not a pending bill.
  order({ claimId: 'a4', caseNumber: 'Petition 4 of 2018', certificateIssuedOn: '2019-05-01',
    components: [{ amountCents: 10_000_000, rateBasisPoints: 0, interestFrom: '2019-01-15' }], tranches: [{ paymentReference: 'PV-A4', amountCents: 10_000_000, paidOn: '2020-01-01' }] }),
  // Certified after the report date, not certified at all, withdrawn: none is a pending bill on 2025-06-30.
  order({ claimId: 'a5', caseNumber: 'Petition 5 of 2025', certificateIssuedOn: '2025-07-05', components: [{ amountCents: 1_000_000, rateBasisPoints: 1200, interestFrom: '2025-01-01' }] }),
  order({ claimId: 'a6', caseNumber: 'Petition 6 of 2024', components: [{ amountCents: 1_000_000, rateBasisPoints: 1200, interestFrom: '2024-01-01' }] }),
  order({ claimId: 'a7', caseNumber: 'Petition 7 of 2019', certificateIssuedOn: '2019-06-01', closedOn: '2024-01-01', components: [{ amountCents: 1_000_000, rateBasisPoints: 1200, interestFrom: '2019-01-15' }] }),
  // B1 (prisons): KSh 300,000 at 12% from 2018-08-01 and costs KSh 33,333.33 at 14% from 2018-10-01, principal first;
  // KSh 30,000 paid on 2024-08-01.
  order({ claimId: 'b1', caseNumber: 'Civil Suit 11 of 2017', agencyId: prisons, court: 'High Court of Kenya at Nakuru', judgmentDate: '2018-08-01',
    certificateIssuedOn: '2018-09-10', appropriation: 'principal_first',
    components: [{ amountCents: 30_000_000, rateBasisPoints: 1200, interestFrom: '2018-08-01' }, { amountCents: 3_333_333, rateBasisPoints: 1400, interestFrom: '2018-10-01' }],
    tranches: [{ paymentReference: 'PV-B1', amountCents: 3_000_000, paidOn: '2024-08-01' }] }),
];

const report = pendingBillsReport(orders, { financialYear: '2024/25', reportDate: '2025-06-30', agencies });
const agency = (id: string) => report.agencies.find((a) => a.agencyId === id)!;

describe('pending bills on 2025-06-30', () => {
  it('when orders are certified and unpaid, then each agency lists them oldest certificate first, with interest to the report date to the cent', () => {
    const rows = agency(police).rows;
    expect(rows.map((r) => r.claimId)).toEqual(['a1', 'a2', 'a3']);
    // A1: 2019-01-15 to 2025-06-30 is 2,358 days; 100,000,000 x 12% x 2358/365 = 77,523,287.67 -> 77,523,288.
    // One day: 100,000,000 x 12% / 365 = 32,876.71 -> 32,877. Certificate 2019-02-20 to 2025-06-30: 2,322 days.
    expect(rows[0]).toEqual({
      claimId: 'a1', court: 'High Court of Kenya at Nairobi', caseNumber: 'Petition 1 of 2018', judgmentDate: '2019-01-15', certificateIssuedOn: '2019-02-20',
      daysSinceCertificate: 2322, principalCents: 100_000_000, interestAccruedCents: 77_523_288, paidCents: 0, tranchesPaid: 0, lastPaidOn: null,
      outstandingCents: 177_523_288, dailyInterestCents: 32_877, stayedSince: null,
    });
    // A2: 730 days to the tranche: 50,000,000 x 14% x 2 = 14,000,000; the 10,000,000 tranche pays interest first, 4,000,000
    // interest left. Then 1,125 days: 50,000,000 x 14% x 1125/365 = 21,575,342.47 -> 21,575,342.
    // Outstanding 50,000,000 + 4,000,000 + 21,575,342 = 75,575,342.
    expect(rows[1]).toMatchObject({ interestAccruedCents: 35_575_342, paidCents: 10_000_000, tranchesPaid: 1, lastPaidOn: '2022-06-01', outstandingCents: 75_575_342, dailyInterestCents: 19_178 });
    // A3: the reversed tranche counts for nothing: 1,622 days on 20,000,000 at 12% = 10,665,205.48 -> 10,665,205.
    expect(rows[2]).toMatchObject({ interestAccruedCents: 10_665_205, paidCents: 0, tranchesPaid: 0, outstandingCents: 30_665_205, dailyInterestCents: 6_575, stayedSince: '2024-11-01', daysSinceCertificate: 1582 });
  });

  it('when payment is appropriated to principal first, then the interest runs on the reduced principal (two components, two rates)', () => {
    // B1 to 2024-08-01: 2,192 days at 12% on 30,000,000 = 21,619,726.03 -> 21,619,726; 2,131 days at 14% on 3,333,333:
    // 3,333,333 x 1400 x 2131 / 3,650,000 = 2,724,566.49 -> 2,724,566. The 3,000,000 tranche
    // pays principal: 27,000,000 left. Then 333 days: 27,000,000 at 12% = 2,955,945.2 -> 2,955,945; 3,333,333 at 14% = 425,753.4 -> 425,753.
    expect(agency(prisons).rows).toEqual([expect.objectContaining({
      claimId: 'b1', principalCents: 33_333_333, interestAccruedCents: 27_725_990, paidCents: 3_000_000, outstandingCents: 58_059_323,
      // (27,000,000 x 1200 + 3,333,333 x 1400) / 3,650,000 = 10,155.25 -> 10,155
      dailyInterestCents: 10_155, daysSinceCertificate: 2485,
    })]);
  });

  it('when totals are taken, then each agency and the State add up, stayed orders are counted apart, and an agency owing nothing still appears', () => {
    expect(agency(police).totals).toEqual({
      orders: 3, principalCents: 170_000_000, interestAccruedCents: 123_763_835, paidCents: 10_000_000, outstandingCents: 283_763_835,
      dailyInterestCents: 58_630, stayedOrders: 1, stayedOutstandingCents: 30_665_205,
    });
    expect(report.state).toEqual({
      orders: 4, principalCents: 203_333_333, interestAccruedCents: 151_489_825, paidCents: 13_000_000, outstandingCents: 341_823_158,
      dailyInterestCents: 68_785, stayedOrders: 1, stayedOutstandingCents: 30_665_205,
    });
    expect(agency('kenya-defence-forces')).toMatchObject({ rows: [], totals: { orders: 0, outstandingCents: 0 } });
    expect(report.agencies.map((a) => a.agencyName)).toEqual(['Kenya Defence Forces', 'Kenya Prisons Service', 'National Police Service']);
  });

  it('when a stay is lifted before the report date, then the order is not marked stayed', () => {
    const lifted = pendingBillsReport([{ ...orders[0]!, stays: [{ grantedOn: '2024-11-01', liftedOn: '2025-03-01' }] }], { financialYear: '2024/25', reportDate: '2025-06-30', agencies });
    expect(lifted.agencies.find((a) => a.agencyId === police)!.rows[0]!.stayedSince).toBeNull();
  });
});

describe('what an allocation would clear, first in first out', () => {
  const facts = new Map(orders.map((o) => [o.claimId, o]));

  it('when KSh 2.6 million is paid on 1 July 2025, then it clears the two oldest orders, passes over the stayed one, and saves the interest to 30 June 2026', () => {
    const view = allocationView(agency(police), facts, 260_000_000, '2025-07-01', '2026-06-30');
    // A1 on 2025-07-01: 2,359 days -> 77,556,164.38 -> 77,556,164 interest; pay 177,556,164. Left unpaid to 2026-06-30
    // (2,723 days -> 89,523,287.67 -> 89,523,288) it would accrue 11,967,124 more.
    // A2: 1,126 days since the tranche -> 21,594,520.55 -> 21,594,521; pay 54,000,000 + 21,594,521 = 75,594,521.
    // To 2026-06-30 (1,490 days -> 28,575,342.47 -> 28,575,342) it would accrue 6,980,821 more.
    expect(view.cleared).toEqual([
      { claimId: 'a1', court: 'High Court of Kenya at Nairobi', caseNumber: 'Petition 1 of 2018', certificateIssuedOn: '2019-02-20', payCents: 177_556_164, interestSavedCents: 11_967_124 },
      { claimId: 'a2', court: 'High Court of Kenya at Nairobi', caseNumber: 'Petition 2 of 2019', certificateIssuedOn: '2020-07-01', payCents: 75_594_521, interestSavedCents: 6_980_821 },
    ]);
    expect(view.skippedStayed.map((s) => s.claimId)).toEqual(['a3']);
    expect(view).toMatchObject({ spentCents: 253_150_685, leftOverCents: 6_849_315, nextOrder: null, interestSavedCents: 18_947_945, horizon: '2026-06-30' });
    expect([view.dailyInterestBeforeCents, view.dailyInterestAfterCents]).toEqual([58_630, 6_575]);
  });

  it('when the amount cannot clear the oldest order, then nothing is cleared: the rule does not jump the queue to a smaller, newer order', () => {
    const view = allocationView(agency(police), facts, 100_000_000, '2025-07-01', '2026-06-30');
    expect(view.cleared).toEqual([]);
    expect(view.nextOrder).toMatchObject({ claimId: 'a1', payCents: 177_556_164 });
    expect(view).toMatchObject({ spentCents: 0, leftOverCents: 100_000_000, interestSavedCents: 0, dailyInterestAfterCents: 58_630 });
  });

  it('when the stay is lifted by the payment day, then the stayed order takes its turn', () => {
    const unstayed = new Map(facts);
    unstayed.set('a3', { ...orders[0]!, stays: [{ grantedOn: '2024-11-01', liftedOn: '2025-07-01' }] });
    const view = allocationView(agency(police), unstayed, 300_000_000, '2025-07-01', '2026-06-30');
    expect(view.cleared.map((c) => c.claimId)).toEqual(['a1', 'a2', 'a3']);
    expect(view.skippedStayed).toEqual([]);
    expect(view.dailyInterestAfterCents).toBe(0);
  });
});
