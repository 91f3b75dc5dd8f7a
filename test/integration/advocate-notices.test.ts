/**
 * Advocates hear of what happens on their claims, over real SMTP: an allocation and a tranche as an email each, or
 * gathered in one weekly digest for an advocate who prefers it; nothing for one who chose none; each notice once.
 */
import { createNoticeActivities } from '../../activities/escalation/notices';
import { createMaintenanceActivities } from '../../activities/maintenance/purge';
import { createMailer } from '../../worker/mailer';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { type Harness, countRows, createHarness, eventually, sampleOrder } from '../support/harness';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  await h.escalation.setAdvocate({ id: 'adv-weekly', name: 'Weekly Advocate', email: 'weekly@advocates.test', notify: 'weekly' }, 'admin');
  await h.escalation.setAdvocate({ id: 'adv-quiet', name: 'Quiet Advocate', email: 'quiet@advocates.test', notify: 'none' }, 'admin');
});
afterAll(async () => { await h?.close(); });

const today = calendarDateAt(Date.now());
const noticesTo = (address: string) => h.smtp.messages.filter((m) => m.headers.get('x-redress-notice') !== undefined && m.envelopeTo.includes(address));

/** A claim judged 25 days ago (no deadline has lapsed), certificate served, an allocation and a tranche recorded today. */
async function paidClaim(advocateId: string) {
  const judgment = addDays(today, -25);
  const { claimId } = await h.service.register(sampleOrder({ advocateId, judgmentDate: judgment, components: [{ label: 'General damages', amountCents: 100_000_000, interestFrom: judgment }] }), 'admin');
  await h.service.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: addDays(today, -3) });
  await h.service.command(claimId, 'serveCertificate', { actor: 'admin', servedOn: addDays(today, -1) });
  await h.service.command(claimId, 'allocateBudget', { actor: 'admin', amountCents: 150_000_000, budgetLine: 'R1', financialYear: '2026/27', allocatedOn: today });
  await h.service.command(claimId, 'recordTranche', { actor: 'admin', paymentReference: `PV-${advocateId}`, amountCents: 40_000_000, paidOn: today });
  return claimId;
}

it('when money is allocated and paid on an advocate\'s claim, then the advocate gets an email for each, once', async () => {
  const claimId = await paidClaim('adv-wanjiru');
  await h.smtp.waitFor(() => noticesTo('wanjiru@advocates.test').filter((m) => m.headers.get('x-redress-notice-claim') === claimId).length === 2);
  const mine = noticesTo('wanjiru@advocates.test').filter((m) => m.headers.get('x-redress-notice-claim') === claimId);
  expect(mine.map((m) => m.headers.get('x-redress-notice'))).toEqual(['budget_allocated', 'tranche_paid']);
  expect(mine[1]!.text).toContain('KSh 400,000.00 paid on');
  expect(mine[1]!.text).toContain(`payment reference PV-adv-wanjiru`);
  expect(mine[1]!.text).not.toContain('SURV-2016-0042');
  expect(await h.db('advocate_notices').where({ claim_id: claimId }).pluck('status')).toEqual(['sent', 'sent']);
  // Delivering the same event again (a retried activity) sends nothing more.
  const again = await createNoticeActivities({ db: h.db, mailer: createMailer(h.smtp.url), mailFrom: 'x@test.invalid' }).deliverAdvocateNotice({ claimId, sequence: 5 });
  expect(again.sent).toBe(0);
});

it('when an advocate prefers a weekly digest, then nothing goes at once and one digest carries the week\'s news when it is due', async () => {
  const first = await paidClaim('adv-weekly');
  const second = await paidClaim('adv-weekly');
  await eventually(() => countRows(h.db, 'advocate_notices', { advocate_id: 'adv-weekly' }), (n) => n === 4);
  await new Promise((r) => setTimeout(r, 1_000));
  expect(noticesTo('weekly@advocates.test')).toEqual([]);
  const maintenance = createMaintenanceActivities({ db: h.db, mailer: createMailer(h.smtp.url), mailFrom: 'Redress <redress@test.invalid>' });
  expect((await maintenance.purgeExpired()).digestNotices).toBe(0); // not a week old yet
  const notices = createNoticeActivities({ db: h.db, mailer: createMailer(h.smtp.url), mailFrom: 'Redress <redress@test.invalid>' });
  const inAWeek = new Date(Date.now() + 7 * 86_400_000 + 60_000);
  expect(await notices.sendWeeklyDigests(inAWeek)).toEqual({ sent: 4 });
  expect(await notices.sendWeeklyDigests(inAWeek)).toEqual({ sent: 0 });
  const [digest, ...rest] = noticesTo('weekly@advocates.test');
  expect(rest).toEqual([]);
  expect(digest!.headers.get('x-redress-notice')).toBe('digest');
  expect(digest!.subject).toContain('2 claim(s)');
  for (const id of [first, second]) expect(digest!.text).toContain(`(claim ${id}): KSh 400,000.00 paid on`);
});

it('when an advocate chose none, then no notice is kept or sent', async () => {
  const claimId = await paidClaim('adv-quiet');
  await new Promise((r) => setTimeout(r, 1_000));
  expect(await countRows(h.db, 'advocate_notices', { claim_id: claimId })).toBe(0);
  expect(noticesTo('quiet@advocates.test')).toEqual([]);
});
