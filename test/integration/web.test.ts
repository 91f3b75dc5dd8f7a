/**
 * The pages in Debian's Chromium (playwright-core, never a downloaded browser), against the real API,
 * PostgreSQL and Temporal.
 */
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../api/access/users';
import { formatKes } from '../../domain/money';
import { type Harness, createHarness, publishRelease, sampleOrder, startApi } from '../support/harness';
import { accessibilityViolations, launchBrowser } from '../support/browser';

jest.setTimeout(180_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let base = '';
let claimId = '';
let caseNumber = '';
const password = 'correct horse battery staple';

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  base = api.base;
  await createUser(h.db, { id: 'achieng', name: 'Achieng', role: 'administrator', password });
  await createUser(h.db, { id: 'wanjiru', name: 'Wanjiru', role: 'advocate', advocateId: 'adv-wanjiru', password });
  await createUser(h.db, { id: 'kamau', name: 'Kamau', role: 'auditor', password });
  const order = sampleOrder();
  caseNumber = order.caseNumber;
  claimId = (await h.service.register(order, 'achieng')).claimId;
  await h.service.command(claimId, 'issueCertificate', { actor: 'achieng', issuedOn: '2017-03-22' });
  await h.service.command(claimId, 'serveCertificate', { actor: 'achieng', servedOn: '2017-03-24' });
  await h.service.command(claimId, 'allocateBudget', { actor: 'achieng', amountCents: 100_000_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-10' });
  // Enough orders in one year, and in each stage, for the public chart to show the year: a release hides a
  // stage of 1 behind others, and with too few orders it must hide the totals too.
  for (let i = 0; i < 16; i++) await h.service.register(sampleOrder({ advocateId: 'adv-otieno' }), 'achieng');
  for (let i = 0; i < 6; i++) {
    const { claimId: id } = await h.service.register(sampleOrder({ advocateId: 'adv-otieno' }), 'achieng');
    await h.service.command(id, 'issueCertificate', { actor: 'achieng', issuedOn: '2017-03-22' });
  }
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await h?.close();
});

async function signIn(userId: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/signin`);
  await page.getByLabel('User').fill(userId);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/claims`);
  return page;
}

it('when an advocate signs in, sees the claim, and an administrator records a tranche, then the advocate sees the new amount owed', async () => {
  const advocate = await signIn('wanjiru');
  await advocate.getByRole('link', { name: caseNumber }).click();
  await advocate.waitForSelector('[data-testid=outstanding]');
  const before = await advocate.textContent('[data-testid=outstanding]');
  expect(before).toMatch(/^KSh [\d,]+\.\d\d$/);
  expect(await advocate.locator('table#claims').count()).toBe(0);
  // An advocate gets only the forms for their own steps (receipts, enforcement), not payments; no receipt before a payment.
  expect(await advocate.locator('form[data-step="tranches"]').count()).toBe(0);
  expect(await advocate.locator('form[data-step="receipts"]').count()).toBe(0);

  const admin = await signIn('achieng');
  await admin.goto(`${base}/claim?id=${encodeURIComponent(claimId)}`);
  const form = admin.locator('form[data-step="tranches"]');
  await form.getByLabel('Payment reference').fill('PV-WEB-1');
  await form.getByLabel('Amount (KSh)').fill('a lot');
  await form.getByLabel('Paid on').fill('2024-08-01');
  await form.getByRole('button', { name: 'Record' }).click();
  await expect(form.locator('#tranches-amountCents-error').textContent()).resolves.toContain('Enter an amount in shillings');
  await form.getByLabel('Amount (KSh)').fill('9,999,999,999');
  await form.getByRole('button', { name: 'Record' }).click();
  await admin.locator('#tranches-amountCents-error', { hasText: 'outstanding' }).waitFor();
  await form.getByLabel('Amount (KSh)').fill('250,000.50');
  await form.getByRole('button', { name: 'Record' }).click();
  await admin.waitForSelector('#message:not([hidden])');
  expect(await admin.textContent('#message')).toContain('Recorded');
  expect(await accessibilityViolations(admin)).toEqual([]);

  await advocate.reload();
  await advocate.waitForSelector('[data-testid=outstanding]');
  await advocate.waitForSelector('#next-steps form[data-step="receipts"]'); // confirming receipt is now the advocate's next step
  const after = await advocate.textContent('[data-testid=outstanding]');
  const detail = (await h.service.record(claimId))!;
  expect(detail.paidCents).toBe(25_000_050);
  const { claimDetail } = await import('../../api/http/claims-read');
  expect(after).toBe(formatKes((await claimDetail(h.db, claimId))!.amounts.outstandingCents));
  expect(after).not.toBe(before);
  expect(await accessibilityViolations(advocate)).toEqual([]);
});

it('when the public page opens, then it shows the latest release: the league table and the chart render, in English or Kiswahili', async () => {
  expect((await publishRelease(h)).outcome).toBe('published');
  const page = await (await browser.newContext()).newPage();
  await page.goto(base);
  await page.waitForSelector('#league tbody tr');
  await expect(page.locator('#release').textContent()).resolves.toMatch(/^Release \d+: counts as of \d{4}-\d{2}-\d{2}, amounts as at \d{4}-\d{2}-\d{2}\.$/);
  expect(await page.locator('#league tbody tr').count()).toBeGreaterThanOrEqual(1);
  expect(await page.locator('#league tbody').textContent()).toContain('National Police Service');
  expect(await page.locator('#chart svg rect[data-series="outstandingCents"]').count()).toBeGreaterThanOrEqual(1);
  expect(await page.locator('#chart svg').getAttribute('aria-label')).toMatch(/2017: .*KSh/);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Kiswahili' }).click();
  await page.waitForSelector('html[lang="sw"]');
  await expect(page.locator('h1').textContent()).resolves.toContain('Fidia zilizoamriwa na mahakama');
});

it('when each role does its job from the pages, then an order is registered, a referral requested with consent, and the chain verified', async () => {
  const admin = await signIn('achieng');
  const form = admin.locator('#reg-form');
  await form.getByLabel('Court').fill('High Court of Kenya at Kisumu');
  await form.getByLabel('Case').fill('Petition E44 of 2021');
  await form.getByLabel('Judgment date').fill('2023-05-10');
  await form.getByLabel('Agency').selectOption('kenya-prisons-service');
  await form.getByLabel('Survivor reference (pseudonymous)').fill('Jane Doe'); // a name, not a reference: refused
  await form.getByLabel('Violations').selectOption(['torture']);
  await form.getByLabel('Advocate id').fill('adv-wanjiru');
  await form.getByLabel('Amount (KSh)').fill('1,500,000');
  await form.getByLabel('Interest from').fill('2023-05-10');
  await form.getByRole('button', { name: 'Register a court order' }).click();
  await admin.locator('#reg-survivorRef-error', { hasText: 'pseudonymous reference' }).waitFor();
  await form.getByLabel('Survivor reference (pseudonymous)').fill('SURV-2021-0044');
  await form.getByRole('button', { name: 'Register a court order' }).click();
  await admin.waitForURL(/\/claim\?id=/);
  const newId = new URL(admin.url()).searchParams.get('id')!;
  expect((await h.service.record(newId))!.caseNumber).toBe('Petition E44 of 2021');

  const advocate = await signIn('wanjiru');
  await advocate.goto(`${base}/claim?id=${encodeURIComponent(newId)}`);
  const referral = advocate.locator('#ref-form');
  await referral.getByLabel('Service').selectOption('psychological');
  await referral.getByLabel('Age').fill('41');
  await referral.getByRole('button', { name: 'Request a referral' }).click();
  await advocate.locator('[id="ref-consent.referral-error"]', { hasText: 'consent to the referral is required' }).waitFor();
  await referral.getByLabel('The person consents to the referral').check();
  await referral.getByRole('button', { name: 'Request a referral' }).click();
  await advocate.locator('#message', { hasText: 'Recorded' }).waitFor();
  expect(await h.db('referral_priority').where('referral_id', 'like', `${newId}--%`).count({ n: '*' }).first()).toEqual({ n: '1' });

  const auditor = await signIn('kamau');
  await auditor.goto(`${base}/claim?id=${encodeURIComponent(newId)}`);
  expect(await auditor.locator('form.step:visible').count()).toBe(0); // auditors read; they record nothing
  await auditor.getByRole('button', { name: "Verify the record's hash chain" }).click();
  await auditor.locator('#audit-result', { hasText: 'Intact' }).waitFor();
});

it('when an administrator manages providers and the fund from the administration page, then bad fields are named and the report adds up', async () => {
  const admin = await signIn('achieng');
  await admin.getByRole('link', { name: 'Administration' }).click();
  await admin.waitForURL(`${base}/admin`);
  const provider = admin.locator('#provider-form');
  await provider.getByLabel('Id', { exact: true }).fill('web-clinic');
  await provider.getByLabel('Name', { exact: true }).fill('Web Clinic (fictional)');
  await provider.getByLabel(/^Services/).selectOption(['medical', 'physiotherapy']);
  await provider.getByLabel('County', { exact: true }).fill('Nakuru');
  await provider.getByLabel('Email', { exact: true }).fill('not an email');
  await provider.getByLabel('Capacity', { exact: true }).fill('12');
  await provider.getByRole('button', { name: 'Record' }).click();
  await admin.locator('#provider-email-error', { hasText: 'must be a valid email address' }).waitFor();
  await provider.getByLabel('Email', { exact: true }).fill('intake@web-clinic.test');
  await provider.getByRole('button', { name: 'Record' }).click();
  await admin.locator('#message', { hasText: 'Recorded' }).waitFor();
  expect((await h.db('providers').where({ id: 'web-clinic' }).first()).services).toEqual(['medical', 'physiotherapy']);

  const receipt = admin.locator('#receipt-form');
  await receipt.getByLabel('Financial year (2026/27)', { exact: true }).fill('2030/31');
  await receipt.getByLabel('Amount (KSh)', { exact: true }).fill('2,500,000.75');
  await receipt.getByLabel('Reference', { exact: true }).fill('EXCHEQUER-WEB');
  await receipt.getByLabel('Received on', { exact: true }).fill('2026-11-02');
  await receipt.getByRole('button', { name: 'Record' }).click();
  await admin.locator('#message', { hasText: 'Record money received by the fund' }).waitFor();
  expect(await accessibilityViolations(admin)).toEqual([]);
  await admin.getByRole('link', { name: 'Fund', exact: true }).click();
  await admin.waitForURL(`${base}/fund`);
  await admin.locator('#report-form').getByLabel('Financial year (2026/27)', { exact: true }).fill('2030/31');
  await admin.locator('#report-form').getByRole('button', { name: 'Show' }).click();
  await admin.locator('#report', { hasText: 'KSh 2,500,000.75' }).waitFor();
  await admin.setViewportSize({ width: 390, height: 844 }); // a phone
  expect(await accessibilityViolations(admin)).toEqual([]);
});
