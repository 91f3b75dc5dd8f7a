/**
 * A day's work for each role, in Debian's Chromium against the real API, PostgreSQL, Temporal and SMTP, with axe-core
 * on every page (no violation of serious or critical impact). REDRESS_SCREENSHOTS=docs/screenshots writes the
 * pictures of docs/workbench.md.
 */
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../api/access/users';
import { calendarDateAt } from '../../domain/calendar-date';
import { financialYearOf } from '../../domain/referral';
import { accessibilityViolations, launchBrowser, screenshot } from '../support/browser';
import { type Harness, countRows, createHarness, eventually, sampleOrder, startApi } from '../support/harness';

jest.setTimeout(240_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let base = '';
const password = 'correct horse battery staple';
const today = calendarDateAt(Date.now());
let overdueId = '';
let overdueCase = '';

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  base = api.base;
  await h.referrals.registerProvider({ id: 'day-clinic', name: 'Day Clinic (fictional)', services: ['psychological'], county: 'Nairobi', email: 'day@clinic.test', capacity: 10 }, 'admin');
  await h.escalation.setContact({ agencyId: 'national-police-service', role: 'accounting_officer', name: 'Accounting Officer (fictional)', email: 'ao@police.test' }, 'admin');
  for (const [id, role, extra] of [['achieng', 'administrator', {}], ['wanjiru', 'advocate', { advocateId: 'adv-wanjiru' }], ['kamau', 'auditor', {}],
    ['nurse', 'provider', { providerId: 'day-clinic' }]] as const) {
    await createUser(h.db, { id, name: id[0]!.toUpperCase() + id.slice(1), role, password, ...extra });
  }
  // An order of 2017 whose certificate was served then: the State's budget allocation is years overdue.
  const order = sampleOrder();
  overdueCase = order.caseNumber;
  overdueId = (await h.service.register(order, 'achieng')).claimId;
  await h.service.command(overdueId, 'issueCertificate', { actor: 'achieng', issuedOn: '2017-03-22' });
  await h.service.command(overdueId, 'serveCertificate', { actor: 'achieng', servedOn: '2017-03-24' });
  for (let i = 0; i < 3; i++) await h.service.register(sampleOrder({ advocateId: 'adv-otieno', respondentAgencyId: 'kenya-prisons-service' }), 'achieng');
  browser = await launchBrowser();
});
afterAll(async () => { await browser?.close(); await api?.close(); await h?.close(); });

async function signIn(userId: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/signin`);
  await page.getByLabel('User').fill(userId);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/(claims|provider)$/);
  return page;
}
const accessible = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

it('when an administrator filters for overdue claims, then the overdue one is found and its next step is the first form; recording the allocation and a tranche emails the advocate', async () => {
  const admin = await signIn('achieng');
  const filters = admin.getByRole('search');
  await filters.getByLabel('Overdue').selectOption('true');
  await filters.getByLabel('Agency').selectOption('national-police-service');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await admin.waitForURL(/overdue=true/);
  await admin.locator('#claims tbody tr').first().waitFor();
  expect(await admin.locator('#claims tbody tr').count()).toBe(1);
  await accessible(admin);
  await screenshot(admin, 'administrator-overdue-claims');
  await admin.getByRole('link', { name: overdueCase }).click();
  await admin.waitForSelector('#next-steps form');
  // What comes next: the State's allocation and, the State being overdue, the enforcement notice. The rest waits behind "other actions".
  expect(await admin.locator('#next-steps form').evaluateAll((forms) => forms.map((f) => f.getAttribute('data-step')))).toEqual(['allocations', 'enforcement-notice']);
  expect(await admin.locator('#other-actions form').count()).toBeGreaterThanOrEqual(4);
  expect(await admin.locator('#other-actions form[data-step="certificate"]').count()).toBe(0);
  await expect(admin.locator('#badges').textContent()).resolves.toMatch(/Escalated to level \d/);
  await accessible(admin);
  await screenshot(admin, 'administrator-claim-next-step');
  const allocate = admin.locator('form[data-step="allocations"]');
  await allocate.getByLabel('Amount (KSh)').fill('5,000,000');
  await allocate.getByLabel('Budget line').fill('R1021-2640500');
  await allocate.getByLabel(/^Financial year/).fill(financialYearOf(today));
  await allocate.getByRole('button', { name: 'Record' }).click();
  await admin.locator('#message', { hasText: 'Recorded' }).waitFor();
  expect((await h.db('claims').where({ id: overdueId }).first()).stage).toBe('budget_allocated');

  await admin.waitForSelector('#next-steps form[data-step="tranches"]');
  const tranche = admin.locator('form[data-step="tranches"]');
  await tranche.getByLabel('Payment reference').fill('PV-DAY-1');
  await tranche.getByLabel('Amount (KSh)').fill('250,000');
  await tranche.getByRole('button', { name: 'Record' }).click();
  await admin.locator('#message', { hasText: 'Recorded' }).waitFor();
  await h.smtp.waitFor((all) => all.some((m) => m.headers.get('x-redress-notice') === 'tranche_paid' && m.envelopeTo.includes('wanjiru@advocates.test')));
  const mail = h.smtp.messages.find((m) => m.headers.get('x-redress-notice') === 'tranche_paid')!;
  expect(mail.text).toContain('KSh 250,000.00 paid on');

  const advocate = await signIn('wanjiru');
  await advocate.getByRole('link', { name: overdueCase }).click();
  await advocate.waitForSelector('#next-steps form[data-step="receipts"]');
  await advocate.locator('#reminders table tbody tr').first().waitFor();
  await accessible(advocate);
  await screenshot(advocate, 'advocate-claim');
});

it('when an import is uploaded from the page, then its progress shows live and its problems are listed by line', async () => {
  const admin = await signIn('achieng');
  await admin.goto(`${base}/imports`);
  const csv = ['court,case_number,judgment_date,respondent_agency_id,survivor_ref,violation_types,advocate_id,general_damages_kes',
    `High Court at Meru,Petition M1 of 2024,${today},national-police-service,WEB-0001,torture,adv-wanjiru,100000`,
    `High Court at Meru,Petition M2 of 2024,${today},national-police-service,WEB-0002,torture,adv-wanjiru,1e5`].join('\n');
  await admin.getByLabel('CSV').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await admin.getByRole('button', { name: 'Upload and import' }).click();
  await admin.locator('#import-status', { hasText: 'Import finished' }).waitFor();
  expect(await admin.locator('#problems tbody').textContent()).toContain('general_damages_kes');
  expect(await admin.locator('#import-progress').getAttribute('value')).toBe('1');
  expect(await countRows(h.db, 'claims', { case_number: 'Petition M1 of 2024' })).toBe(1);
  await accessible(admin);
  await screenshot(admin, 'administrator-import');
  await admin.goto(`${base}/admin`);
  await admin.waitForSelector('#agency-form');
  await accessible(admin);
  await admin.goto(`${base}/fund`);
  await admin.waitForSelector('#report .card');
  await accessible(admin);
});

it('when an agency officer opens the link in a reminder, then they acknowledge it and commit to a date with no account, and it enters the claim\'s chain', async () => {
  // Another order of 2017 whose allocation the State still owes: its reminder carries the link.
  const stillOwed = (await h.service.register(sampleOrder(), 'achieng')).claimId;
  await h.service.command(stillOwed, 'issueCertificate', { actor: 'achieng', issuedOn: '2017-03-22' });
  await h.service.command(stillOwed, 'serveCertificate', { actor: 'achieng', servedOn: '2017-03-24' });
  await h.smtp.waitFor((all) => all.some((m) => m.headers.get('x-redress-claim') === stillOwed && m.text.includes('/acknowledge#')), 60_000);
  const reminder = h.smtp.messages.find((m) => m.headers.get('x-redress-claim') === stillOwed && m.text.includes('/acknowledge#'))!;
  const link = /(http:\/\/\S+\/acknowledge#\S+?)[\s)]/.exec(reminder.text)![1]!.replace('http://127.0.0.1:3000', base);
  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await page.waitForSelector('#ack-form');
  await accessible(page);
  await page.getByLabel('Your name').fill('Jane Accounting (fictional)');
  await page.getByLabel('What will be done').fill('Allocate the amount in the supplementary budget');
  await page.getByLabel('Who is responsible').fill('Chief Finance Officer');
  await screenshot(page, 'agency-officer-acknowledgment');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.locator('#message', { hasText: 'Thank you' }).waitFor();
  const event = await eventually(() => h.db('claim_events').where({ claim_id: stillOwed, type: 'reminder_acknowledged' }).first(), (e) => e !== undefined);
  expect(event.payload).toMatchObject({ officerName: 'Jane Accounting (fictional)', commitment: { responsible: 'Chief Finance Officer', dueOn: today } });
  await accessible(page);
});

it('when a provider signs in, then they see the referral sent to them and record its first appointment and a session', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'achieng');
  const { referralId } = await h.referrals.requestReferral(claimId, {
    service: 'psychological', beneficiary: { kind: 'survivor' }, consent: { referral: true, shareAssessment: true, recordedOn: today },
    priority: { urgentMedical: false, ageYears: 30, disability: false }, needsNote: 'Sleeps badly since detention (fictional).',
  }, 'wanjiru');
  await h.referrals.receiveFunds({ financialYear: financialYearOf(today), amountCents: 100_000_000, reference: 'EX-DAY', receivedOn: today }, 'achieng');
  const cmd = (name: Parameters<Harness['referrals']['command']>[1], input: Record<string, unknown>) => h.referrals.command(referralId, name, { actor: 'achieng', ...input });
  await cmd('assessNeeds', { assessedOn: today, assessedCostCents: 20_000_000, sessionsPlanned: 4 });
  await cmd('referToProvider', { referredOn: today, providerId: 'day-clinic' });
  await cmd('decideFunding', { decision: 'approve', amountCents: 20_000_000, financialYear: financialYearOf(today), decidedOn: today });
  await eventually(() => h.db('referrals').where({ id: referralId }).first('stage'), (r) => r?.stage === 'funded');

  const nurse = await signIn('nurse');
  await nurse.getByRole('link', { name: referralId.split('--').at(-1)! }).click();
  await nurse.waitForSelector('form[data-step="provider-appointments"]');
  await nurse.locator('form[data-step="provider-appointments"]').getByRole('button', { name: 'Record' }).click();
  await nurse.waitForSelector('form[data-step="provider-sessions"]');
  const session = nurse.locator('form[data-step="provider-sessions"]');
  await session.getByLabel('Attended').check();
  await session.getByRole('button', { name: 'Record' }).click();
  await nurse.locator('#message', { hasText: 'Recorded' }).waitFor();
  await eventually(() => h.db('claim_events').where({ claim_id: claimId, type: 'referral_step' }).pluck('payload'), (p) => p.some((x: { step: string }) => x.step === 'recordSession'));
  await accessible(nurse);
  await screenshot(nurse, 'provider-session');

  const advocate = await signIn('wanjiru');
  await advocate.goto(`${base}/referrals`);
  await advocate.locator('#referrals tbody tr').first().waitFor();
  await accessible(advocate);
  await advocate.goto(`${base}/referral?id=${encodeURIComponent(referralId)}`);
  await advocate.waitForSelector('#next-steps form[data-step="referral-sessions"]');
  await accessible(advocate);
  await screenshot(advocate, 'advocate-referral');
});
