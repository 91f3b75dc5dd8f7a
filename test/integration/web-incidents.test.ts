/**
 * The incident pages in Debian's Chromium (playwright-core, never a downloaded browser), against the real API,
 * PostgreSQL and Temporal: each new role does its job from the pages, in English and Kiswahili, with axe-core on
 * every page (no violation of serious or critical impact).
 */
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../api/access/users';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { accessibilityViolations, launchBrowser } from '../support/browser';
import { type Harness, createHarness, eventually, publishRelease, sampleIncident, sampleOrder, startApi } from '../support/harness';

jest.setTimeout(180_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let base = '';
let incidentId = '';
const password = 'correct horse battery staple';
const today = calendarDateAt(Date.now());

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  base = api.base;
  await h.incidents.setOrganisation({ id: 'imlu', name: 'Medico-legal unit (fictional)', email: 'cases@imlu.test' }, 'setup');
  await createUser(h.db, { id: 'imlu-clerk', name: 'Njeri (IMLU)', role: 'documenting_organisation', organisationId: 'imlu', password });
  await createUser(h.db, { id: 'ipoa-officer', name: 'Omondi (IPOA)', role: 'investigator', bodyId: 'ipoa', password });
  await createUser(h.db, { id: 'dci-officer', name: 'Mutua (DCI)', role: 'investigator', bodyId: 'dci', password });
  await createUser(h.db, { id: 'odpp-counsel', name: 'Atieno (ODPP)', role: 'prosecutor', bodyId: 'odpp', password });
  await createUser(h.db, { id: 'kamau', name: 'Kamau', role: 'auditor', password });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await h?.close();
});

async function signIn(userId: string, landing = '/incidents'): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/signin`);
  await page.getByLabel('User').fill(userId);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}${landing}`);
  return page;
}

const accessible = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

/** Fills and sends one step's form, then waits for that step's own confirmation. */
async function recordStep(page: Page, step: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>) {
  const form = page.locator(`form[data-step="${step}"]`);
  const title = await form.locator('h4').textContent();
  await fill(form);
  await form.getByRole('button', { name: 'Record' }).click();
  await page.locator('#incident-message', { hasText: `${title}: Recorded` }).waitFor();
}

it('when a documenting organisation signs in, then it lands on its incidents, registers one from the form (each bad field named beside it) and records the complaint', async () => {
  const clerk = await signIn('imlu-clerk');
  const form = clerk.locator('#register-form');
  await form.waitFor();
  await accessible(clerk);
  await form.getByLabel('Reference (your own)').fill('IMLU/WEB/1');
  await form.getByLabel('Occurred on').fill(addDays(today, -10));
  await form.getByLabel('County').selectOption('kisumu');
  await form.getByLabel('Place').selectOption('police_station');
  await form.getByLabel('Act').selectOption('death_in_custody');
  await form.getByLabel('Victim reference (pseudonymous)').fill('Jane Doe'); // a name, not a reference: refused
  await form.getByLabel('Alleged perpetrator agency').selectOption('national-police-service');
  await form.getByLabel('Unit category').selectOption('general_service_unit');
  await form.getByRole('button', { name: 'Register an incident' }).click();
  await clerk.locator('#reg-victimRef-error', { hasText: 'pseudonymous reference' }).waitFor();
  await form.getByLabel('Victim reference (pseudonymous)').fill('VICT-WEB-1');
  await form.getByRole('button', { name: 'Register an incident' }).click();
  await clerk.locator('#reg-claimantRef-error', { hasText: 'the family acts for the victim' }).waitFor();
  await form.getByLabel('Family member reference (for a death or disappearance)').fill('FAM-WEB-1');
  await form.getByRole('button', { name: 'Register an incident' }).click();
  await clerk.waitForURL(/\/incident\?id=/);
  incidentId = new URL(clerk.url()).searchParams.get('id')!;
  expect((await h.db('incidents').where({ id: incidentId }).first()).documenting_organisation_id).toBe('imlu');
  await expect(clerk.textContent('[data-testid=investigation-stage]')).resolves.toBe('awaiting complaint');
  // The organisation may lodge the complaint and notify the death; it may not acknowledge for the body.
  expect(await clerk.locator('form[data-step="investigation/acknowledgement"]').count()).toBe(0);
  expect(await clerk.locator('form[data-step="inquest/notification"]').count()).toBe(1);
  await accessible(clerk);
  await recordStep(clerk, 'investigation/complaint', (f) => f.getByLabel('Lodged on').fill(today));
  await expect(clerk.textContent('[data-testid=investigation-stage]')).resolves.toBe('complaint lodged');
  await clerk.screenshot({ path: '/tmp/redress-incident-organisation.png', fullPage: true });
});

it('when the documenting organisation requests a referral from the incident page, then no court order is needed: a missing relationship is named beside its field, and the referral is listed', async () => {
  const clerk = await signIn('imlu-clerk');
  await clerk.goto(`${base}/incident?id=${encodeURIComponent(incidentId)}`);
  const referral = clerk.locator('#ref-form');
  await referral.getByLabel('Service').selectOption('psychological');
  await referral.locator('[id="ref-beneficiary.kind"]').selectOption('family_member');
  await referral.getByLabel('Age').fill('52');
  await referral.getByLabel('The person consents to the referral').check();
  await referral.getByRole('button', { name: 'Request a referral (no court order needed)' }).click();
  await clerk.locator('[id="ref-beneficiary.relationship-error"]').filter({ hasText: /\S/ }).waitFor();
  await referral.getByLabel('Relationship (family member)').fill('mother');
  await referral.getByRole('button', { name: 'Request a referral (no court order needed)' }).click();
  await clerk.locator('#incident-message', { hasText: 'Request a referral (no court order needed): Recorded' }).waitFor();
  // The referral's workflow writes the record a moment later: the page lists it once it is there.
  await eventually(async () => { await clerk.reload(); return clerk.locator('#referrals tbody').textContent(); }, (text) => text?.includes('psychological') === true);
  await accessible(clerk);
});

it('when the investigator of the body holding it signs in, then it is on their list and they take it to the prosecutor; another body sees nothing', async () => {
  const other = await signIn('dci-officer');
  await other.waitForSelector('#incidents tbody tr');
  expect(await other.locator('#incidents tbody a').count()).toBe(0);
  await other.goto(`${base}/incident?id=${encodeURIComponent(incidentId)}`);
  await other.locator('#incident-title', { hasText: 'Not found' }).waitFor();

  const officer = await signIn('ipoa-officer');
  // The list filters by act (and search, county, year, each track's stage), kept in the address.
  const filters = officer.getByRole('search');
  await filters.getByLabel('Act').selectOption('torture');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await officer.waitForURL(/act=torture/);
  await officer.locator('#incidents tbody td', { hasText: 'None' }).waitFor();
  await filters.getByLabel('Act').selectOption('death_in_custody');
  await filters.getByLabel('Search (reference or id)').fill('WEB/1');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await officer.waitForURL(/act=death_in_custody/);
  await officer.locator('#incidents tbody a', { hasText: 'IMLU/WEB/1' }).waitFor();
  await expect(officer.locator('#incidents tbody a').allTextContents()).resolves.toEqual(['IMLU/WEB/1']);
  await accessible(officer);
  await officer.getByRole('link', { name: 'IMLU/WEB/1' }).click();
  await officer.waitForSelector('form[data-step="investigation/acknowledgement"]');
  await accessible(officer);
  const ack = officer.locator('form[data-step="investigation/acknowledgement"]');
  await ack.getByLabel('Acknowledged on').fill(addDays(today, 2)); // a date to come: refused beside the field
  await ack.getByLabel("Body's reference").fill('IPOA/C/2026/WEB');
  await ack.getByRole('button', { name: 'Record' }).click();
  await officer.locator('#investigation-acknowledgement-acknowledgedOn-error', { hasText: 'in the future' }).waitFor();
  await ack.getByLabel('Acknowledged on').fill(today);
  await ack.getByRole('button', { name: 'Record' }).click();
  await officer.locator('#incident-message', { hasText: 'Recorded' }).waitFor();
  await recordStep(officer, 'investigation/opening', (f) => f.getByLabel('Opened on').fill(today));
  await recordStep(officer, 'investigation/findings', async (f) => { await f.getByLabel('Found on').fill(today); await f.getByLabel('Conclusion').selectOption('offence_disclosed'); });
  await recordStep(officer, 'investigation/recommendation', async (f) => { await f.getByLabel('Recommended on').fill(today); await f.getByLabel('Recommendation').selectOption('prosecute'); });
  await recordStep(officer, 'investigation/forwarding', (f) => f.getByLabel('Forwarded on').fill(today));
  await expect(officer.textContent('[data-testid=investigation-stage]')).resolves.toBe('forwarded');
  await eventually(() => h.db('incident_tracks').where({ incident_id: incidentId, track: 'prosecution' }).first(), (r) => r !== undefined);
});

it('when the prosecutor signs in, then the forwarded file is theirs; a decision not to charge needs reasons, named beside the field', async () => {
  const counsel = await signIn('odpp-counsel');
  await counsel.getByRole('link', { name: 'IMLU/WEB/1' }).click();
  await counsel.waitForSelector('form[data-step="prosecution/charging-decision"]');
  expect(await counsel.locator('section[data-track="investigation"] form').count()).toBe(0);
  const decision = counsel.locator('form[data-step="prosecution/charging-decision"]');
  await decision.getByLabel('Decided on').fill(today);
  await decision.getByLabel('Decision').selectOption('no_charge');
  await decision.getByRole('button', { name: 'Record' }).click();
  await counsel.locator('#prosecution-charging-decision-reasons-error', { hasText: 'reasons are required' }).waitFor();
  await decision.getByLabel('Reasons').fill('The evidence does not meet the threshold for a charge.');
  await decision.getByRole('button', { name: 'Record' }).click();
  await counsel.locator('#incident-message', { hasText: 'Recorded' }).waitFor();
  await expect(counsel.textContent('[data-testid=prosecution-stage]')).resolves.toBe('not charged');
  await counsel.setViewportSize({ width: 390, height: 844 }); // a phone
  await counsel.screenshot({ path: '/tmp/redress-incident-prosecutor-phone.png', fullPage: false });
});

it('when the pages are read in Kiswahili, then the list and the incident speak it; an auditor records nothing and verifies the chains', async () => {
  const auditor = await (await browser.newContext()).newPage();
  await auditor.goto(`${base}/signin`);
  await auditor.getByLabel('User').fill('kamau');
  await auditor.getByLabel('Password').fill(password);
  await auditor.getByRole('button', { name: 'Sign in' }).click();
  await auditor.waitForURL(`${base}/claims`);
  await auditor.getByRole('link', { name: 'Incidents' }).click();
  await auditor.waitForURL(`${base}/incidents`);
  await auditor.getByRole('button', { name: 'Kiswahili' }).click();
  await auditor.waitForSelector('html[lang="sw"]');
  await expect(auditor.locator('h1').textContent()).resolves.toBe('Matukio');
  await auditor.getByRole('link', { name: 'IMLU/WEB/1' }).click();
  await auditor.locator('section[data-track="investigation"] h2', { hasText: 'Uchunguzi' }).waitFor();
  await expect(auditor.textContent('[data-testid=prosecution-stage]')).resolves.toBe('hakuna mashtaka');
  expect(await auditor.locator('form.step:visible').count()).toBe(0);
  await auditor.getByRole('button', { name: 'Hakiki minyororo ya kumbukumbu' }).click();
  await auditor.locator('#audit-result', { hasText: 'Kamili' }).waitFor();
  await accessible(auditor);
  await auditor.screenshot({ path: '/tmp/redress-incident-auditor-sw.png', fullPage: true });
});

it('when a release counts the incidents, then the public page shows the accountability funnel per responsible body, with its notice, and no incident', async () => {
  // Six orders (a first release waits for six) and six more incidents beside the one registered from the form.
  await createUser(h.db, { id: 'achieng', name: 'Achieng (administrator)', role: 'administrator', password });
  for (let i = 0; i < 6; i++) await h.service.register(sampleOrder({ survivorRef: `SURV-WEB-${i}` }), 'achieng');
  const registrar = { id: 'achieng', role: 'administrator', organisationId: null };
  for (let i = 0; i < 6; i++) {
    await h.incidents.register(sampleIncident({ occurredOn: addDays(today, -30), sources: [{ kind: 'complaint', on: addDays(today, -29) }], interventions: [] }), registrar);
  }
  expect((await publishRelease(h)).outcome).toBe('published');
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/`);
  await page.waitForSelector('#accountability tbody tr');
  // The page shows the release's figures as published: all seven are IPOA's, so one of that row and the total is
  // hidden (the other bodies' zeros, "5 or fewer", would follow from their difference), and the other says 7.
  const published = await (await fetch(`${base}/api/public/accountability`)).json() as
    { tables: Record<string, { body_id: string; body: string; documented: number | string }[]> };
  const ipoa = published.tables.by_body!.find((r) => r.body_id === 'ipoa')!;
  expect([ipoa.documented, published.tables.totals![0]!.documented].sort()).toEqual([7, 'hidden']);
  const documentedOn = async (name: string) => page.locator('#accountability tbody tr', { hasText: name }).locator('td').first().textContent();
  await expect(documentedOn('All bodies')).resolves.toBe(String(published.tables.totals![0]!.documented));
  await expect(documentedOn(ipoa.body)).resolves.toBe(String(ipoa.documented));
  await expect(page.locator('#accountability thead').textContent()).resolves.toContain('Investigated');
  await expect(page.locator('p.notice', { hasText: 'not how many violations happened' }).count()).resolves.toBe(1);
  const text = (await page.textContent('main'))!;
  for (const secret of ['IMLU/WEB/1', 'VICT-WEB-1', 'FAM-WEB-1', 'VICT-2026-0001']) expect(text).not.toContain(secret);
  await page.screenshot({ path: '/tmp/redress-public-accountability.png', fullPage: true });
});
