/**
 * The monitoring and evaluation report over real HTTP, computed from a record the real workflows wrote (claims paid
 * in part and in full, escalations, a funded referral with its first appointment), and the versioned indicator
 * definitions. The accountability indicators say "nothing to measure" until the record holds incidents; the view over the
 * incidents table exists (as the accountability track will add), they are computed from it. The page is read in
 * Chromium.
 */
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../api/access/users';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { quarterOf } from '../../domain/report/periods';
import { balanceAt } from '../../domain/interest';
import { formatKes } from '../../domain/money';
import { financialYearOf } from '../../domain/referral';
import { DEFAULT_INDICATOR_DOCUMENT } from '../../domain/report/indicator-definitions';
import { indicatorRecord } from '../../db/reports';
import { accessibilityViolations, launchBrowser } from '../support/browser';
import { type Harness, createHarness, eventually, sampleIncident, sampleOrder, startApi } from '../support/harness';
import { apiCaller } from '../support/http';
import { pdfText } from '../support/pdf-text';

jest.setTimeout(240_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let call: ReturnType<typeof apiCaller>;
const tokens: Record<string, string> = {};
const password = 'correct horse battery staple';
const admin = 'achieng';
const today = calendarDateAt(Date.now());
const ids: Record<string, string> = {};
const one = (amountCents: number, from: string) => [{ label: 'General damages', amountCents, rateBasisPoints: 1200, interestFrom: from }];

/** Registers an order and records its steps; `payInFullOn` pays whatever is outstanding that day (worked out from the order). */
async function order(key: string, judgmentDate: string, certificate: string, steps: [string, Record<string, unknown>][], payInFullOn?: string) {
  const components = one(50_000_000, judgmentDate);
  const { claimId } = await h.service.register(sampleOrder({ judgmentDate, components, caseNumber: `Petition ${key} of 2024` }), admin);
  ids[key] = claimId;
  await h.service.command(claimId, 'issueCertificate', { actor: admin, issuedOn: certificate });
  for (const [name, input] of steps) await h.service.command(claimId, name as never, { actor: admin, ...input } as never);
  if (payInFullOn) {
    const paid = steps.filter(([n]) => n === 'recordTranche').map(([, i]) => ({ amountCents: i.amountCents as number, paidOn: i.paidOn as string }));
    const owed = balanceAt(components, paid, payInFullOn).outstandingCents;
    await h.service.command(claimId, 'recordTranche', { actor: admin, paymentReference: `PV-${key}-full`, amountCents: owed, paidOn: payInFullOn });
  }
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

  const served = (on: string): [string, Record<string, unknown>][] => [['serveCertificate', { servedOn: on }],
    ['allocateBudget', { amountCents: 90_000_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2025-01-10' }]];
  // c1: certificate 2024-05-10, paid in full 2025-03-01 (within 12 months). c3: certificate 2024-04-15, part paid, then in
  // full 2025-06-20 (after its 12 months). c2: certificate 2024-06-01, served, never paid: its budget deadline lapsed long
  // ago, so the ladder climbs straight to level 4 today.
  await order('c1', '2024-03-01', '2024-05-10', served('2024-05-11'), '2025-03-01');
  await order('c3', '2024-03-01', '2024-04-15', [...served('2024-04-16'), ['recordTranche', { paymentReference: 'PV-c3-1', amountCents: 10_000_000, paidOn: '2025-02-01' }]], '2025-06-20');
  await order('c2', '2024-04-20', '2024-06-01', [['serveCertificate', { servedOn: '2024-06-02' }]]);

  // A referral under c2: assessed on 15 August 2026, funded (today) and seen today.
  const fy = financialYearOf(today);
  await h.referrals.registerProvider({ id: 'trauma-centre', name: 'Trauma Recovery Centre (fictional)', services: ['psychological'], county: 'Nairobi', email: 'r@trauma.test', capacity: 10 }, admin);
  await h.referrals.receiveFunds({ financialYear: fy, amountCents: 100_000_000, reference: 'EXCHEQUER-1', receivedOn: today }, admin);
  const { referralId } = await h.referrals.requestReferral(ids.c2!, {
    service: 'psychological', beneficiary: { kind: 'survivor' }, consent: { referral: true, shareAssessment: false, recordedOn: '2026-08-01' },
    priority: { urgentMedical: false, ageYears: 40, disability: false },
  }, 'wanjiru');
  ids.referral = referralId;
  const step = (name: Parameters<Harness['referrals']['command']>[1], input: Record<string, unknown>) => h.referrals.command(referralId, name, { actor: admin, ...input });
  await step('assessNeeds', { assessedOn: '2026-08-15', assessedCostCents: 30_000_000, sessionsPlanned: 6 });
  await step('referToProvider', { referredOn: '2026-08-20', providerId: 'trauma-centre' });
  await step('decideFunding', { decision: 'approve', amountCents: 25_000_000, financialYear: fy, decidedOn: today });
  await step('recordAppointment', { appointmentOn: today });
  await eventually(() => h.db('referrals').where({ id: referralId }).first(), (r) => r?.first_appointment_on !== null && r?.first_appointment_on !== undefined);
  await eventually(() => h.db('claim_events').where({ claim_id: ids.c2, type: 'deadline_escalated' }).max({ level: h.db.raw("(payload->>'level')::int") }).first(), (r) => Number(r?.level) >= 4, 60_000);
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

const get = (path: string, as = admin, headers: Record<string, string> = {}) => call('GET', path, { token: tokens[as], headers });
const indicator = (body: { indicators: { id: string }[] }, id: string) => body.indicators.find((i) => i.id === id) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the record the indicators read', () => {
  it('when referrals are funded and seen, then the projection keeps the dates the indicators count from', async () => {
    const record = await indicatorRecord(h.db);
    expect(record.referrals).toEqual([{ referralId: ids.referral, assessedOn: '2026-08-15', assessedCostCents: 30_000_000, fundedOn: today, approvedCents: 25_000_000,
      firstAppointmentOn: today, closedOn: null, firstAppointmentDays: 14 }]);
    // The record has an incidents table (the accountability track) with none in it yet.
    expect(record.incidents).toEqual([]);
    const c2 = record.claims.find((c) => c.claimId === ids.c2)!;
    expect(c2.escalations.some((e) => e.level === 4 && e.on === today)).toBe(true);
  });

  it('when only released orders are asked for (public indicators), then orders no release has admitted, and their referrals, are left out', async () => {
    await h.db('release_members').insert({ claim_id: ids.c1, release_number: 1 });
    const released = await indicatorRecord(h.db, { releasedOnly: true });
    expect(released.claims.map((c) => c.claimId)).toEqual([ids.c1]);
    expect(released.referrals).toEqual([]);
    expect((await indicatorRecord(h.db)).claims).toHaveLength(3);
  });
});

describe('the monitoring and evaluation report over HTTP', () => {
  it('when 2025-Q2 is asked for, then each indicator is computed from the record, with its trend, target and the financial year to date', async () => {
    const res = await get('/api/reports/indicators?period=2025-Q2');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ period: { id: '2025-Q2', start: '2025-04-01', end: '2025-06-30' }, asOf: today, definitionsVersion: 1 });
    expect(res.body.period.label.en).toBe('April–June 2025 (financial year 2024/25, quarter 4)');
    // All three certificates' 12 months ended in the quarter; only c1 was paid in full by then.
    expect(indicator(res.body, 'awards_paid_within_12_months')).toMatchObject({
      value: { status: 'value', value: 33.3, numerator: 1, denominator: 3, toDate: false }, meetsTarget: false, target: { value: 80, direction: 'at_least' },
    });
    // c3 was paid in full on 2025-06-20, 431 days after its certificate of 2024-04-15.
    expect(indicator(res.body, 'median_days_to_full_payment').value).toMatchObject({ value: 431, denominatorCount: 1 });
    const c3 = one(50_000_000, '2024-03-01');
    const interestPaid = (d: string, paid: { amountCents: number; paidOn: string }[]) => {
      const b = balanceAt(c3, paid, d);
      return b.interestAccruedCents - b.components[0]!.interestOutstandingCents;
    };
    const tranches = [{ amountCents: 10_000_000, paidOn: '2025-02-01' }, { amountCents: balanceAt(c3, [{ amountCents: 10_000_000, paidOn: '2025-02-01' }], '2025-06-20').outstandingCents, paidOn: '2025-06-20' }];
    expect(indicator(res.body, 'interest_paid_for_delay').value).toMatchObject({ value: interestPaid('2025-06-30', tranches) - interestPaid('2025-03-31', tranches), numeratorCount: 1 });
    // At the end of June 2025 only c2 was outstanding, and its escalation came later (today).
    expect(indicator(res.body, 'outstanding_escalated_to_level_4').value).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    for (const id of ['incidents_investigated_on_time', 'investigations_with_charging_decision', 'deaths_with_inquest_on_time', 'convictions_per_100_incidents']) {
      // No incident in this record: nothing to measure (an incident would be counted; see the last test).
      expect([id, indicator(res.body, id).value.status, indicator(res.body, id).value.reason]).toEqual([id, 'empty', expect.stringMatching(/nothing to measure/)]);
    }
    const paid12 = indicator(res.body, 'awards_paid_within_12_months');
    expect(paid12.trend.map((p: { period: { id: string } }) => p.period.id)).toEqual(['2023-Q3', '2023-Q4', '2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']);
    expect(paid12.financialYearToDate).toMatchObject({ period: { id: '2024/25' }, value: { numerator: 1, denominator: 3 } });
  });

  it('when the current quarter and the year are asked for, then they are measured to date: the escalation of today counts, the funded need too', async () => {
    const quarter = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
    const now = await get(`/api/reports/indicators?period=${quarter}`);
    expect(indicator(now.body, 'outstanding_escalated_to_level_4').value).toMatchObject({ value: 100, numerator: 1, denominator: 1, toDate: true });
    // The first appointment's deadline (funded today + 14 days) has not come: nothing to measure yet.
    expect(indicator(now.body, 'first_appointment_on_time').value.status).toBe('empty');
    const year = await get(`/api/reports/indicators?period=${financialYearOf(today).replace('/', '-')}`);
    expect(indicator(year.body, 'rehabilitation_need_funded').value).toMatchObject({ value: 83.3, numerator: 25_000_000, denominator: 30_000_000, numeratorCount: 1, denominatorCount: 1 });
    // Assessed in July-September, funded only in November: by the end of that quarter none of the need was funded.
    if (today >= '2026-10-01') {
      expect(indicator((await get('/api/reports/indicators?period=2026-Q3')).body, 'rehabilitation_need_funded').value).toMatchObject({ value: 0, numeratorCount: 0, denominatorCount: 1 });
    }
  });

  it('when CSV and PDF are asked for, then the CSV has a row per indicator and period, and the PDF in English or Kiswahili carries every value and a chart page per indicator', async () => {
    const csv = await get('/api/reports/indicators.csv?period=2025-Q2');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(1 + DEFAULT_INDICATOR_DOCUMENT.indicators.length * 9);
    expect(lines.find((l) => l.startsWith('awards_paid_within_12_months,') && l.includes(',2025-Q2,'))).toContain(',false,value,33.3,percent,1,3,1,3,80,at_least,false,');
    for (const lang of ['en', 'sw'] as const) {
      const res = await fetch(`${api.base}/api/reports/indicators?period=2025-Q2&lang=${lang}`, { headers: { authorization: `Bearer ${tokens[admin]}`, accept: 'application/pdf' } });
      expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
      const { pages, info } = await pdfText(Buffer.from(await res.arrayBuffer()));
      expect(pages).toHaveLength(1 + DEFAULT_INDICATOR_DOCUMENT.indicators.length);
      for (const d of DEFAULT_INDICATOR_DOCUMENT.indicators) expect(pages.some((p) => p.includes(d.name[lang]))).toBe(true);
      expect(pages[0]).toContain('33.3%');
      expect(pages.join('\n')).toContain(lang === 'en' ? 'nothing to measure' : 'hakuna cha kupima');
      expect(String(info.Title)).toBe(lang === 'en' ? 'Monitoring and evaluation report: April–June 2025 (financial year 2024/25, quarter 4)' : 'Ripoti ya ufuatiliaji na tathmini: Aprili–Juni 2025 (mwaka wa fedha 2024/25, robo ya 4)');
      pages.forEach((p, i) => expect(p).toContain(`${lang === 'en' ? 'page' : 'ukurasa'} ${i + 1} ${lang === 'en' ? 'of' : 'kati ya'} ${pages.length}`));
    }
  });

  it('when the period is wrong, not begun, or the version unknown, then the answer names what is wrong', async () => {
    for (const [period, rule] of [['2026-Q5', /quarter like 2026-Q3/], ['2099-Q1', /must have begun/], ['2026/28', /quarter like/]] as const) {
      const res = await get(`/api/reports/indicators?period=${encodeURIComponent(period)}`);
      expect([res.status, res.body.errors]).toEqual([422, [{ field: 'period', rule: expect.stringMatching(rule) }]]);
    }
    expect((await get('/api/reports/indicators?period=2025-Q2&version=99')).status).toBe(404);
    expect((await get('/api/reports/indicators')).body.errors).toEqual([{ field: 'period', rule: 'Required' }]);
  });
});

describe('indicator definitions are versioned data', () => {
  it('when an administrator publishes a new version, then it gets the next number, the report follows it, and the old version still answers as it did', async () => {
    const before = await get('/api/indicators', 'kamau');
    expect(before.body).toMatchObject({ version: 1, publishedBy: 'redress', versions: [{ version: 1 }] });
    const changed = structuredClone(DEFAULT_INDICATOR_DOCUMENT);
    changed.indicators[0]!.target = { value: 30, direction: 'at_least' };
    changed.indicators[2]!.computation = { kind: 'outstanding_escalated_to_level', level: 3 };
    changed.indicators[2]!.name = { en: '=HYPERLINK("http://attacker.invalid") outstanding at level 3', sw: 'Tuzo katika ngazi ya 3' };
    const published = await call('POST', '/api/indicators', { token: tokens[admin], body: { ...changed, note: 'target agreed with the committee' } });
    expect([published.status, published.body.version, published.body.note, published.body.publishedBy]).toEqual([201, 2, 'target agreed with the committee', admin]);
    const latest = await get('/api/reports/indicators?period=2025-Q2');
    expect(latest.body.definitionsVersion).toBe(2);
    expect(indicator(latest.body, 'awards_paid_within_12_months').meetsTarget).toBe(true);
    const v1 = await get('/api/reports/indicators?period=2025-Q2&version=1');
    expect(indicator(v1.body, 'awards_paid_within_12_months').meetsTarget).toBe(false);
    const csv = await get('/api/reports/indicators.csv?period=2025-Q2');
    expect(csv.text).toContain(`"'=HYPERLINK(""http://attacker.invalid"") outstanding at level 3"`);
    expect((await h.db('indicator_definitions').count({ n: '*' }).first())!.n).toBe('2');
    await expect(h.db('indicator_definitions').where({ version: 1 }).update({ note: 'rewritten' })).rejects.toThrow(/append-only/);
  });

  it('when two administrators publish at the same moment, then each gets its own version number', async () => {
    const doc = { indicators: DEFAULT_INDICATOR_DOCUMENT.indicators };
    const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/api/indicators', { token: tokens[admin], body: doc })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(answers.map((a) => a.body.version).sort()).toEqual([3, 4, 5]);
  });

  it('when a definition tries to type a value in, or breaks a rule, then 422 names the field and nothing is published; auditors and advocates cannot publish', async () => {
    const count = async () => Number((await h.db('indicator_definitions').count({ n: '*' }).first())!.n);
    const n = await count();
    const typedIn = structuredClone(DEFAULT_INDICATOR_DOCUMENT) as unknown as { indicators: Record<string, unknown>[] };
    typedIn.indicators[0]!.computation = { kind: 'paid_in_full_within_months', months: 12, value: 95 };
    const refused = await call('POST', '/api/indicators', { token: tokens[admin], body: typedIn });
    expect([refused.status, refused.body.errors]).toEqual([422, [{ field: 'indicators.0.computation', rule: 'unknown field(s): value' }]]);
    const noDenominator = structuredClone(DEFAULT_INDICATOR_DOCUMENT) as unknown as { indicators: Record<string, unknown>[] };
    noDenominator.indicators[0]!.denominator = null;
    expect((await call('POST', '/api/indicators', { token: tokens[admin], body: noDenominator })).body.errors).toEqual([{ field: 'indicators.0.denominator', rule: 'is required for a share or a rate' }]);
    for (const who of ['kamau', 'wanjiru']) expect((await call('POST', '/api/indicators', { token: tokens[who], body: DEFAULT_INDICATOR_DOCUMENT })).status).toBe(403);
    expect(await count()).toBe(n);
  });
});

describe('the report pages', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => { await browser?.close(); });
  const accessible = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);
  /** The name a download is saved under, when the button is clicked. */
  const downloaded = async (page: Page, button: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    return file.suggestedFilename();
  };

  it('when an auditor opens the quarterly report and the pending bills, then the tables, one SVG chart per indicator with its target, and the totals are on the page', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${api.base}/signin`);
    await page.getByLabel('User').fill('kamau');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${api.base}/claims`);
    await page.goto(`${api.base}/indicators?period=2025-Q2`);
    await page.locator('#summary tbody tr').first().waitFor();
    expect(await page.locator('#summary tbody tr').count()).toBe(DEFAULT_INDICATOR_DOCUMENT.indicators.length);
    expect(await page.locator('[data-indicator="awards_paid_within_12_months"] td').first().textContent()).toBe('33.3%');
    expect(await page.locator('#indicators svg[role="img"]').count()).toBe(DEFAULT_INDICATOR_DOCUMENT.indicators.length);
    expect(await page.locator('#awards_paid_within_12_months svg line[data-target]').count()).toBe(1);
    expect(await page.locator('#awards_paid_within_12_months svg').getAttribute('aria-label')).toContain('2025-Q2 33.3%');
    await accessible(page);
    await expect(downloaded(page, 'Download PDF')).resolves.toMatch(/^indicators-2025-Q2-v\d+\.pdf$/);

    await page.goto(`${api.base}/pending-bills`);
    await page.locator('#bills-summary tbody tr').first().waitFor();
    const stateRow = page.locator('#bills-summary tbody tr').last();
    expect(await stateRow.locator('th').textContent()).toBe('State total');
    const outstanding = balanceAt(one(50_000_000, '2024-04-20'), [], today).outstandingCents;
    expect(await stateRow.locator('td').nth(4).textContent()).toBe(formatKes(outstanding));
    await accessible(page);

    // What an allocation would clear: an amount that is not one is refused on the page; one that is shows the orders it pays.
    await page.locator('#agency').selectOption('national-police-service');
    await page.getByLabel('Allocation for the agency (KSh, optional)').fill('1.000');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#bills-error', { hasText: 'Enter an amount in shillings' }).waitFor();
    await page.getByLabel('Allocation for the agency (KSh, optional)').fill('1,000,000');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#allocation tbody tr').first().waitFor();
    await expect(page.locator('#allocation tbody tr').first().textContent()).resolves.toContain('Petition c2 of 2024');
    await expect(downloaded(page, 'Download CSV')).resolves.toMatch(/^pending-bills-national-police-service-\d{4}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    await accessible(page);
  });

  it('when an advocate opens a report page, then it is not theirs: "Not found", and no figure', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${api.base}/signin`);
    await page.getByLabel('User').fill('wanjiru');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${api.base}/claims`);
    for (const path of ['/pending-bills', '/indicators?period=2025-Q2']) {
      await page.goto(`${api.base}${path}`);
      await page.locator('#message', { hasText: 'Not found' }).waitFor();
      expect(await page.locator('#bills-summary, #summary tbody tr').count()).toBe(0);
    }
  });
});

describe('once the record has incidents (the accountability track)', () => {
  it('when incidents run through their tracks, then the indicator view reads each one as the record has it, and the four accountability indicators are computed from it', async () => {
    const day = (n: number) => addDays(today, n);
    const registrar = { id: 'admin-achieng', role: 'administrator', organisationId: null };
    const death = [
      { act: 'torture', victimRef: 'VICT-IND-1', perpetrator: { agencyId: 'national-police-service', unitCategory: 'regular_police' } },
      { act: 'death_in_custody', victimRef: 'VICT-IND-1', claimantRef: 'FAM-IND-1', perpetrator: { agencyId: 'national-police-service', unitCategory: 'regular_police' } },
    ];
    const register = (acts: unknown[] | undefined) => h.incidents.register(sampleIncident({ occurredOn: day(-60), sources: [{ kind: 'complaint', on: day(-60) }], interventions: [], ...(acts ? { acts } : {}) }), registrar);
    const step = (id: string, name: Parameters<Harness['incidents']['command']>[1], input: Record<string, unknown>) => h.incidents.command(id, name, { actor: 'admin-achieng', ...input });
    // One opened in time, charged and convicted, its inquest opened in time; one opened late; one never opened, its inquest neither.
    const { incidentId: i1 } = await register(death);
    const { incidentId: i2 } = await register([{ act: 'torture', victimRef: 'VICT-IND-2', perpetrator: { agencyId: 'national-police-service', unitCategory: 'regular_police' } }]);
    const { incidentId: i3 } = await register(death);
    await step(i1, 'lodgeComplaint', { lodgedOn: day(-12) });
    await step(i1, 'acknowledgeComplaint', { acknowledgedOn: day(-10), bodyReference: 'IPOA/1' });
    await step(i1, 'openInvestigation', { openedOn: day(-5) });
    await step(i1, 'recordFindings', { foundOn: day(-4), conclusion: 'offence_disclosed' });
    await step(i1, 'recommend', { recommendedOn: day(-4), recommendation: 'prosecute' });
    await step(i1, 'forwardFile', { forwardedOn: day(-3) });
    await eventually(() => h.db('incident_tracks').where({ incident_id: i1, track: 'prosecution' }).first(), (t) => t !== undefined);
    await step(i1, 'decideCharge', { decidedOn: day(-2), decision: 'charge' });
    await step(i1, 'fileCharges', { filedOn: day(-2), court: "Chief Magistrate's Court at Milimani", caseNumber: 'CR E1 of 2026', accusedCount: 1 });
    await step(i1, 'startTrial', { startedOn: day(-2) });
    await step(i1, 'recordVerdict', { accused: 1, verdict: 'convicted', deliveredOn: day(-1) });
    await step(i1, 'notifyDeath', { notifiedOn: day(-11), notifiedBy: 'police' });
    await step(i1, 'recordPostMortem', { examinedOn: day(-9), pathologist: 'government' });
    await step(i1, 'openInquest', { openedOn: day(-8), court: "Chief Magistrate's Court at Milimani", inquestNumber: 'INQ 1 of 2026' });
    await step(i2, 'lodgeComplaint', { lodgedOn: day(-50) });
    await step(i2, 'acknowledgeComplaint', { acknowledgedOn: day(-45), bodyReference: 'IPOA/2' });
    await step(i2, 'openInvestigation', { openedOn: day(-10) });
    await step(i3, 'lodgeComplaint', { lodgedOn: day(-55) });
    await step(i3, 'acknowledgeComplaint', { acknowledgedOn: day(-50), bodyReference: 'IPOA/3' });
    await step(i3, 'notifyDeath', { notifiedOn: day(-50), notifiedBy: 'police' });
    await step(i3, 'recordPostMortem', { examinedOn: day(-40), pathologist: 'government' });

    const rows = await h.db('incident_indicator_facts').whereIn('incident_id', [i1, i2, i3])
      .select(h.db.raw(`incident_id, documented_on::text, investigation_due_on::text, investigation_opened_on::text, investigation_ended_on::text,
        charging_decision_on::text, death, inquest_due_on::text, inquest_opened_on::text, conviction_dates::text[]`));
    const byId = new Map(rows.map((r) => [r.incident_id, r]));
    // The default policy gives 30 days to open an investigation from the acknowledgment, 30 to open an inquest from the post-mortem.
    expect(byId.get(i1)).toMatchObject({ documented_on: today, investigation_due_on: day(20), investigation_opened_on: day(-5), investigation_ended_on: day(-4),
      charging_decision_on: day(-2), death: true, inquest_due_on: day(21), inquest_opened_on: day(-8), conviction_dates: [day(-1)] });
    expect(byId.get(i2)).toMatchObject({ investigation_due_on: day(-15), investigation_opened_on: day(-10), investigation_ended_on: null, charging_decision_on: null, death: false, inquest_due_on: null });
    expect(byId.get(i3)).toMatchObject({ investigation_due_on: day(-20), investigation_opened_on: null, death: true, inquest_due_on: day(-10), inquest_opened_on: null, conviction_dates: null });
    const res = await get(`/api/reports/indicators?period=${quarterOf(today).id}`);
    for (const id of ['incidents_investigated_on_time', 'investigations_with_charging_decision', 'deaths_with_inquest_on_time', 'convictions_per_100_incidents']) {
      expect({ id, status: indicator(res.body, id).value.status }).not.toEqual({ id, status: 'no_data' });
    }
  });
});
