/**
 * The pages in Debian's Chromium (playwright-core, never a downloaded browser), against the real API,
 * PostgreSQL and Temporal.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { type Browser, type Page, chromium } from 'playwright-core';
import { createUser } from '../../api/access/users';
import { createApp } from '../../api/http/app';
import { formatKes } from '../../domain/money';
import { type Harness, createHarness, sampleOrder } from '../support/harness';

jest.setTimeout(180_000);

let h: Harness;
let server: Server;
let browser: Browser;
let base = '';
let claimId = '';
let caseNumber = '';
const password = 'correct horse battery staple';

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  const { app } = createApp({ db: h.db, client: h.env.client, taskQueue: h.taskQueue, logger: pino({ level: 'silent' }), rateLimitPerMinute: 100_000 });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await createUser(h.db, { id: 'achieng', name: 'Achieng', role: 'administrator', password });
  await createUser(h.db, { id: 'wanjiru', name: 'Wanjiru', role: 'advocate', advocateId: 'adv-wanjiru', password });
  const order = sampleOrder();
  caseNumber = order.caseNumber;
  claimId = (await h.service.register(order, 'achieng')).claimId;
  await h.service.command(claimId, 'issueCertificate', { actor: 'achieng', issuedOn: '2017-03-22' });
  await h.service.command(claimId, 'serveCertificate', { actor: 'achieng', servedOn: '2017-03-24' });
  await h.service.command(claimId, 'allocateBudget', { actor: 'achieng', amountCents: 100_000_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-10' });
  // Enough orders in one year for the public chart to show it (5 or fewer would be suppressed).
  for (let i = 0; i < 6; i++) await h.service.register(sampleOrder({ advocateId: 'adv-otieno' }), 'achieng');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
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
  // An advocate gets only the forms for their own steps (receipts, enforcement), not payments.
  expect(await advocate.locator('form[data-step="tranches"]').count()).toBe(0);
  expect(await advocate.locator('form[data-step="receipts"]').count()).toBe(1);

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
  await admin.waitForSelector('#claim-message:not([hidden])');
  expect(await admin.textContent('#claim-message')).toContain('Recorded');

  await advocate.reload();
  await advocate.waitForSelector('[data-testid=outstanding]');
  const after = await advocate.textContent('[data-testid=outstanding]');
  const detail = (await h.service.record(claimId))!;
  expect(detail.paidCents).toBe(25_000_050);
  const { claimDetail } = await import('../../api/http/claims-read');
  expect(after).toBe(formatKes((await claimDetail(h.db, claimId))!.amounts.outstandingCents));
  expect(after).not.toBe(before);
  await advocate.screenshot({ path: '/tmp/redress-advocate-claim.png', fullPage: true });
});

it('when the public page opens, then the league table and the chart render, in English or Kiswahili', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(base);
  await page.waitForSelector('#league tbody tr');
  expect(await page.locator('#league tbody tr').count()).toBeGreaterThanOrEqual(1);
  expect(await page.locator('#league tbody').textContent()).toContain('National Police Service');
  expect(await page.locator('#chart svg rect[data-series="outstandingCents"]').count()).toBeGreaterThanOrEqual(1);
  expect(await page.locator('#chart svg').getAttribute('aria-label')).toMatch(/2017: .*KSh/);
  await page.screenshot({ path: '/tmp/redress-public.png', fullPage: true });
  await page.getByRole('button', { name: 'Kiswahili' }).click();
  await page.waitForSelector('html[lang="sw"]');
  await expect(page.locator('h1').textContent()).resolves.toContain('Fidia zilizoamriwa na mahakama');
});
