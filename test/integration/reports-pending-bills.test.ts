/**
 * The pending-bills report over real HTTP, from orders driven through the real claim workflow (Temporal) into the
 * real record (PostgreSQL): hand-worked figures to the cent (the same orders as test/unit/pending-bills.test.ts),
 * JSON, CSV and PDF (its text extracted), the allocation view, who may read it, and every refusal.
 */
import { createUser } from '../../api/access/users';
import { formatKes } from '../../domain/money';
import { type Harness, createHarness, sampleOrder, startApi } from '../support/harness';
import { type Answer, apiCaller } from '../support/http';
import { pdfText } from '../support/pdf-text';

jest.setTimeout(240_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let call: ReturnType<typeof apiCaller>;
const tokens: Record<string, string> = {};
const password = 'correct horse battery staple';
const admin = 'achieng';
const ids: Record<string, string> = {};

async function order(key: string, overrides: Record<string, unknown>, steps: [string, Record<string, unknown>][]) {
  const { claimId } = await h.service.register(sampleOrder(overrides), admin);
  for (const [name, input] of steps) await h.service.command(claimId, name as never, { actor: admin, ...input } as never);
  ids[key] = claimId;
}

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  call = apiCaller(api.base);
  await createUser(h.db, { id: admin, name: 'Achieng', role: 'administrator', password });
  await createUser(h.db, { id: 'kamau', name: 'Kamau', role: 'auditor', password });
  await createUser(h.db, { id: 'wanjiru', name: 'Wanjiru', role: 'advocate', advocateId: 'adv-wanjiru', password });
  for (const id of [admin, 'kamau', 'wanjiru']) tokens[id] = (await call('POST', '/api/session', { body: { userId: id, password } })).body.token;

  const police = { respondentAgencyId: 'national-police-service' };
  const one = (amountCents: number, rateBasisPoints: number, interestFrom: string) => [{ label: 'General damages', amountCents, rateBasisPoints, interestFrom }];
  await order('a1', { ...police, caseNumber: 'Petition 1 of 2018', judgmentDate: '2019-01-15', components: one(100_000_000, 1200, '2019-01-15') },
    [['issueCertificate', { issuedOn: '2019-02-20' }]]);
  await order('a2', { ...police, caseNumber: 'Petition 2 of 2019', judgmentDate: '2020-06-01', components: one(50_000_000, 1400, '2020-06-01') }, [
    ['issueCertificate', { issuedOn: '2020-07-01' }], ['serveCertificate', { servedOn: '2020-07-02' }],
    ['allocateBudget', { amountCents: 60_000_000, budgetLine: 'R2021', financialYear: '2021/22', allocatedOn: '2022-05-01' }],
    ['recordTranche', { paymentReference: 'PV-A2-1', amountCents: 10_000_000, paidOn: '2022-06-01' }]]);
  await order('a3', { ...police, caseNumber: 'Petition 3 of 2020', judgmentDate: '2021-01-20', components: one(20_000_000, 1200, '2021-01-20') }, [
    ['issueCertificate', { issuedOn: '2021-03-01' }], ['serveCertificate', { servedOn: '2021-03-02' }],
    ['allocateBudget', { amountCents: 5_000_000, budgetLine: 'R2022', financialYear: '2022/23', allocatedOn: '2022-12-01' }],
    ['recordTranche', { paymentReference: 'PV-A3-1', amountCents: 5_000_000, paidOn: '2023-01-10' }],
    ['reverseTranche', { paymentReference: 'PV-A3-1', reason: 'paid into the wrong account' }],
    ['grantStay', { grantedOn: '2024-11-01', reason: 'appeal pending in the Court of Appeal' }]]);
  // Paid in full, withdrawn, not certified: none of them is a pending bill.
  await order('a4', { ...police, caseNumber: 'Petition 4 of 2018', judgmentDate: '2019-01-15', components: one(10_000_000, 0, '2019-01-15') }, [
    ['issueCertificate', { issuedOn: '2019-05-01' }], ['serveCertificate', { servedOn: '2019-05-02' }],
    ['allocateBudget', { amountCents: 10_000_000, budgetLine: 'R2019', financialYear: '2019/20', allocatedOn: '2019-08-01' }],
    ['recordTranche', { paymentReference: 'PV-A4', amountCents: 10_000_000, paidOn: '2020-01-01' }]]);
  await order('a7', { ...police, caseNumber: 'Petition 7 of 2019', judgmentDate: '2019-01-15', components: one(1_000_000, 1200, '2019-01-15') }, [
    ['issueCertificate', { issuedOn: '2019-06-01' }], ['withdraw', { withdrawnOn: '2024-01-01', reason: 'settled out of court' }]]);
  await order('a6', { ...police, caseNumber: 'Petition 6 of 2024', judgmentDate: '2024-01-01', components: one(1_000_000, 1200, '2024-01-01') }, []);
  await order('b1', {
    respondentAgencyId: 'kenya-prisons-service', court: 'High Court of Kenya at Nakuru', caseNumber: 'Civil Suit 11 of 2017', judgmentDate: '2018-08-01',
    appropriation: 'principal_first', components: [
      { label: 'General damages', amountCents: 30_000_000, rateBasisPoints: 1200, interestFrom: '2018-08-01' },
      { label: 'Costs', amountCents: 3_333_333, rateBasisPoints: 1400, interestFrom: '2018-10-01' }],
  }, [['issueCertificate', { issuedOn: '2018-09-10' }], ['serveCertificate', { servedOn: '2018-09-11' }],
    ['allocateBudget', { amountCents: 3_000_000, budgetLine: 'R2024', financialYear: '2024/25', allocatedOn: '2024-07-15' }],
    ['recordTranche', { paymentReference: 'PV-B1', amountCents: 3_000_000, paidOn: '2024-08-01' }]]);
  // A court name a spreadsheet would run as a formula; no interest, so the State total moves by exactly KSh 10,000.
  await order('k1', { respondentAgencyId: 'kenya-defence-forces', court: '=HYPERLINK("http://attacker.invalid","Court")', caseNumber: 'Misc 5 of 2020',
    judgmentDate: '2020-02-03', components: one(1_000_000, 0, '2020-02-03') }, [['issueCertificate', { issuedOn: '2020-03-02' }]]);
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

const get = (path: string, as = admin, headers: Record<string, string> = {}) => call('GET', path, { token: tokens[as], headers });
const FY2425 = '/api/reports/pending-bills?financialYear=2024-25';
const police = (a: Answer) => a.body.agencies.find((x: { agencyId: string }) => x.agencyId === 'national-police-service');
const STATE = {
  orders: 5, principalCents: 204_333_333, interestAccruedCents: 151_489_825, paidCents: 13_000_000, outstandingCents: 342_823_158,
  dailyInterestCents: 68_785, stayedOrders: 1, stayedOutstandingCents: 30_665_205,
};

describe('pending bills over HTTP', () => {
  it('when an administrator asks for 2024/25, then every certified unpaid order is listed per agency, oldest first, with interest to 30 June 2025 to the cent', async () => {
    const res = await get(FY2425);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ financialYear: '2024/25', reportDate: '2025-06-30', currency: 'KES', agencyFilter: null, allocation: null });
    const rows = police(res).rows;
    expect(rows.map((r: { claimId: string }) => r.claimId)).toEqual([ids.a1, ids.a2, ids.a3]);
    expect(rows[0]).toEqual({
      claimId: ids.a1, court: 'High Court of Kenya at Nairobi', caseNumber: 'Petition 1 of 2018', judgmentDate: '2019-01-15', certificateIssuedOn: '2019-02-20',
      daysSinceCertificate: 2322, principalCents: 100_000_000, interestAccruedCents: 77_523_288, paidCents: 0, tranchesPaid: 0, lastPaidOn: null,
      outstandingCents: 177_523_288, dailyInterestCents: 32_877, stayedSince: null,
    });
    expect(rows[1]).toMatchObject({ interestAccruedCents: 35_575_342, paidCents: 10_000_000, tranchesPaid: 1, lastPaidOn: '2022-06-01', outstandingCents: 75_575_342 });
    // The reversed tranche counts for nothing; the stay is shown and the order stays in the totals.
    expect(rows[2]).toMatchObject({ paidCents: 0, tranchesPaid: 0, outstandingCents: 30_665_205, stayedSince: '2024-11-01' });
    expect(police(res).totals).toEqual({
      orders: 3, principalCents: 170_000_000, interestAccruedCents: 123_763_835, paidCents: 10_000_000, outstandingCents: 283_763_835,
      dailyInterestCents: 58_630, stayedOrders: 1, stayedOutstandingCents: 30_665_205,
    });
    const prisons = res.body.agencies.find((x: { agencyId: string }) => x.agencyId === 'kenya-prisons-service');
    expect(prisons.rows).toEqual([expect.objectContaining({ claimId: ids.b1, interestAccruedCents: 27_725_990, paidCents: 3_000_000, outstandingCents: 58_059_323, dailyInterestCents: 10_155 })]);
    expect(res.body.state).toEqual(STATE);
    // No survivor, no advocate: the debt is named by court and case number only.
    expect(res.text).not.toContain(sampleOrder().survivorRef);
    expect(res.text).not.toContain('adv-wanjiru');
  });

  it('when one agency is asked for, then only its orders and totals come back', async () => {
    const res = await get(`${FY2425}&agency=kenya-prisons-service`);
    expect(res.body.agencies.map((a: { agencyId: string }) => a.agencyId)).toEqual(['kenya-prisons-service']);
    expect(res.body.state).toMatchObject({ orders: 1, outstandingCents: 58_059_323 });
  });

  it('when an allocation is given, then it shows which orders it clears first in first out and the interest saved to the end of the year', async () => {
    const res = await get('/api/reports/pending-bills?agency=national-police-service&financialYear=2025/26&reportDate=2025-07-01&allocationCents=260000000');
    expect(res.status).toBe(200);
    expect(res.body.allocation).toMatchObject({
      amountCents: 260_000_000, payOn: '2025-07-01', horizon: '2026-06-30', spentCents: 253_150_685, leftOverCents: 6_849_315, interestSavedCents: 18_947_945,
      cleared: [{ claimId: ids.a1, payCents: 177_556_164, interestSavedCents: 11_967_124 }, { claimId: ids.a2, payCents: 75_594_521, interestSavedCents: 6_980_821 }],
      skippedStayed: [{ claimId: ids.a3 }], dailyInterestBeforeCents: 58_630, dailyInterestAfterCents: 6_575,
    });
    expect(res.body.allocation.definition).toMatch(/^Interest saved: /);
  });

  it('when CSV is asked for by Accept or by .csv, then the same rows come back with totals, amounts in cents, and formulas neutralised', async () => {
    const byAccept = await get(FY2425, admin, { accept: 'text/csv' });
    const byPath = await get(FY2425.replace('pending-bills?', 'pending-bills.csv?'));
    expect(byAccept.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(byAccept.headers.get('content-disposition')).toMatch(/^attachment; filename="?pending-bills-all-agencies-2024-25-2025-06-30\.csv"?$/);
    expect(byPath.text).toBe(byAccept.text);
    const lines = byAccept.text.trim().split('\n');
    expect(lines[0]).toBe('financial_year,report_date,row,agency_id,agency,fifo_position,court,case_number,judgment_date,certificate_issued_on,days_since_certificate,principal_cents,interest_accrued_cents,paid_cents,tranches_paid,last_paid_on,outstanding_cents,daily_interest_cents,stayed_since,orders,stayed_orders,stayed_outstanding_cents');
    expect(lines).toContain('2024/25,2025-06-30,state_total,,,,,,,,,204333333,151489825,13000000,,,342823158,68785,,5,1,30665205');
    expect(lines.find((l) => l.includes('Petition 1 of 2018'))).toBe('2024/25,2025-06-30,order,national-police-service,National Police Service,1,High Court of Kenya at Nairobi,Petition 1 of 2018,2019-01-15,2019-02-20,2322,100000000,77523288,0,0,,177523288,32877,,,,');
    const kdf = lines.find((l) => l.includes('Misc 5 of 2020'))!;
    expect(kdf).toContain(`"'=HYPERLINK(""http://attacker.invalid"",""Court"")"`);
    expect(lines.some((l) => /(^|,)"?=/.test(l))).toBe(false);
  });

  it('when a PDF is asked for by Accept or by .pdf, then it opens, has page numbers, and carries each agency\'s totals and the State\'s', async () => {
    for (const res of [await fetchBinary(FY2425, { accept: 'application/pdf' }), await fetchBinary(FY2425.replace('pending-bills?', 'pending-bills.pdf?'))]) {
      expect(res.type).toBe('application/pdf');
      expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const { pages, info } = await pdfText(res.bytes);
      expect(info.Title).toBe('Pending bills under court orders: all respondent agencies, financial year 2024/25');
      const all = pages.join('\n');
      expect(pages[0]).toContain('State total');
      for (const amount of [STATE.outstandingCents, STATE.interestAccruedCents, STATE.dailyInterestCents, 283_763_835, 58_059_323, 177_523_288]) {
        expect(all).toContain(formatKes(amount));
      }
      pages.forEach((p, i) => expect(p).toContain(`page ${i + 1} of ${pages.length}`));
      expect(all).toContain('stayed 2024-11-01');
      expect(all).not.toContain(sampleOrder().survivorRef);
    }
  });

  it('when the allocation is asked for as PDF, then its cleared orders and the interest saved are in it', async () => {
    const res = await fetchBinary('/api/reports/pending-bills.pdf?agency=national-police-service&financialYear=2025-26&reportDate=2025-07-01&allocationCents=260000000');
    const all = (await pdfText(res.bytes)).pages.join('\n');
    expect(all).toContain(`What ${formatKes(260_000_000)} paid on 2025-07-01 would clear`);
    for (const amount of [177_556_164, 75_594_521, 18_947_945, 6_849_315]) expect(all).toContain(formatKes(amount));
  });

  it('when an auditor asks, then they get it; an advocate is refused 403 at every path, and no token is 401', async () => {
    expect((await get(FY2425, 'kamau')).body.state).toEqual(STATE);
    for (const path of [FY2425, FY2425.replace('?', '.csv?'), FY2425.replace('?', '.pdf?'), '/api/reports/indicators?period=2025-Q2', '/api/indicators']) {
      const refused = await get(path, 'wanjiru');
      expect([path, refused.status, refused.headers.get('content-type')]).toEqual([path, 403, expect.stringContaining('application/problem+json')]);
      expect((await call('GET', path)).status).toBe(401);
    }
  });

  it('when the query is wrong, then 422 names the field and the rule, and 406 when no offered type is acceptable', async () => {
    const cases: [string, string, RegExp][] = [
      ['agency=no-such-agency', 'agency', /unknown agency/],
      ['financialYear=2024-26', 'financialYear', /consecutive years/],
      ['financialYear=2031-32', 'financialYear', /at most the next financial year, 2027\/28/],
      ['allocationCents=100', 'agency', /required with allocationCents/],
      ['agency=national-police-service&financialYear=2024-25&allocationCents=100&payOn=2025-07-01', 'payOn', /from the report date 2025-06-30/],
      ['financialYear=2024-25&reportDate=2025-07-01', 'reportDate', /within the financial year 2024\/25/],
      ['allocationCents=-5&agency=national-police-service', 'allocationCents', /more than 0/],
      ['colour=red', '(body)', /unknown field/],
    ];
    for (const [query, field, rule] of cases) {
      const res = await get(`/api/reports/pending-bills?${query}`);
      expect([query, res.status, res.headers.get('content-type')]).toEqual([query, 422, expect.stringContaining('application/problem+json')]);
      expect(res.body.errors).toEqual([{ field, rule: expect.stringMatching(rule) }]);
    }
    const html = await get(FY2425, admin, { accept: 'text/html' });
    expect([html.status, html.body.errors]).toEqual([406, [{ field: 'Accept', rule: 'must allow one of application/json, text/csv, application/pdf' }]]);
  });

  it('when the OpenAPI document is read, then the report lists each media type it serves', async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    const ok = (path: string) => Object.keys(doc.paths[path].get.responses['200'].content);
    expect(ok('/api/reports/pending-bills')).toEqual(['application/json', 'text/csv', 'application/pdf']);
    expect(ok('/api/reports/pending-bills.csv')).toEqual(['text/csv']);
    expect(ok('/api/reports/pending-bills.pdf')).toEqual(['application/pdf']);
    expect(doc.paths['/api/reports/pending-bills'].get.responses['406']).toBeDefined();
    expect(doc.paths['/api/reports/pending-bills'].get.parameters.map((p: { name: string }) => p.name))
      .toEqual(['agency', 'financialYear', 'allocationCents', 'reportDate', 'payOn']);
  });
});

async function fetchBinary(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.base}${path}`, { headers: { authorization: `Bearer ${tokens[admin]}`, ...headers } });
  expect(res.status).toBe(200);
  return { type: res.headers.get('content-type')!.split(';')[0], bytes: Buffer.from(await res.arrayBuffer()) };
}
