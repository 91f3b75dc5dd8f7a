/**
 * The reminder at the National Treasury and Controller of Budget level carries the agency's pending-bills report
 * (a PDF, position on the reminder's day): months pass on the time-skipping server, the mail goes to a real SMTP
 * server, and the attached PDF's text is read back. Nobody outside the State gets the list.
 */
import { pendingBillsAttachment } from '../../activities/escalation/deliver';
import { addDays } from '../../domain/calendar-date';
import { DAY_MS, type ReminderContent } from '../../domain/escalation';
import { balanceAt } from '../../domain/interest';
import { formatKes } from '../../domain/money';
import { financialYearOf } from '../../domain/report/periods';
import { sampleOrder } from '../support/harness';
import { pdfText } from '../support/pdf-text';
import { CONTACTS, createTimeSkippingHarness } from '../support/time-skipping';

jest.setTimeout(300_000);

let h: Awaited<ReturnType<typeof createTimeSkippingHarness>>;
beforeAll(async () => { h = await createTimeSkippingHarness(); });
afterAll(async () => { await h?.close(); });

const toOf = (m: { headers: Map<string, unknown> }) => ((m.headers.get('to') as { value: { address: string }[] } | undefined)?.value ?? []).map((a) => a.address);

it('when the ladder reaches the National Treasury and the Controller of Budget, then their reminder attaches the agency\'s current pending bills, and the levels before do not', async () => {
  const today = await h.today();
  // An older police order, certified and unpaid; and a prisons order, which is not the police's debt.
  const older = sampleOrder({ caseNumber: 'Petition 77 of 2022', judgmentDate: '2023-01-10', components: [{ label: 'General damages', amountCents: 40_000_000, rateBasisPoints: 1200, interestFrom: '2023-01-10' }] });
  const { claimId: olderId } = await h.claims.register(older, h.admin);
  await h.claims.command(olderId, 'issueCertificate', { actor: h.admin, issuedOn: '2023-02-10' });
  const prisons = sampleOrder({ respondentAgencyId: 'kenya-prisons-service', caseNumber: 'Petition 88 of 2022', judgmentDate: '2023-01-10' });
  const { claimId: prisonsId } = await h.claims.register(prisons, h.admin);
  await h.claims.command(prisonsId, 'issueCertificate', { actor: h.admin, issuedOn: '2023-02-10' });

  const judgment = addDays(today, -25);
  const components = [{ label: 'General damages', amountCents: 300_000_000, rateBasisPoints: 1200, interestFrom: judgment }];
  const { claimId } = await h.claims.register(sampleOrder({ caseNumber: 'Petition 99 of 2026', judgmentDate: judgment, components }), h.admin);
  await h.claims.command(claimId, 'issueCertificate', { actor: h.admin, issuedOn: addDays(today, -3) });
  const served = await h.claims.command(claimId, 'serveCertificate', { actor: h.admin, servedOn: addDays(today, -1) });
  const lapsesAt = Date.parse(served.status.deadlines.find((d) => d.kind === 'budget_allocation')!.lapsesAt);

  const now = await h.env.currentTimeMs();
  await h.env.sleep(lapsesAt + 60 * DAY_MS + 3_600_000 - now);
  await h.smtp.waitFor(() => h.mailFor(claimId).some((m) => toOf(m).includes(CONTACTS.national_treasury)), 120_000);
  const mail = h.mailFor(claimId);
  const budget = mail.find((m) => toOf(m).includes(CONTACTS.national_treasury))!;
  expect(toOf(budget)).toEqual([CONTACTS.national_treasury, CONTACTS.controller_of_budget]);
  expect(mail.filter((m) => m !== budget && toOf(m).includes(CONTACTS.accounting_officer)).length).toBeGreaterThan(0);
  for (const earlier of mail.slice(0, mail.indexOf(budget))) expect(earlier.attachments).toEqual([]);

  const content = (await h.db('reminders').where({ claim_id: claimId, level: 3 }).orderBy('occurrence').first()).content as ReminderContent;
  const fy = financialYearOf(content.asOf);
  expect(budget.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`pending-bills-national-police-service-${fy.replace('/', '-')}-${content.asOf}.pdf`, 'application/pdf']]);

  // What the police owe on the reminder's day, worked out here from the two orders.
  const owed = [
    balanceAt(older.components, [], content.asOf),
    balanceAt(components, [], content.asOf),
  ];
  const outstanding = owed.reduce((s, b) => s + b.outstandingCents, 0);
  const { pages, info } = await pdfText(budget.attachments[0]!.content);
  const text = pages.join('\n');
  expect(info.Title).toBe(`Pending bills under court orders: National Police Service, financial year ${fy}`);
  expect(text).toContain(`Position on ${content.asOf}`);
  expect(text).toContain(formatKes(outstanding));
  for (const b of owed) expect(text).toContain(formatKes(b.outstandingCents));
  expect(text.indexOf('Petition 77 of 2022')).toBeLessThan(text.indexOf('Petition 99 of 2026')); // oldest first
  expect(text).not.toContain('Petition 88 of 2022');
  expect(text).not.toContain(sampleOrder().survivorRef);
  expect(budget.text).toContain(`the pending-bills report of National Police Service for the financial year ${fy}, position on ${content.asOf}: 2 certified order(s) not paid in full, ${formatKes(outstanding)} outstanding`);
  expect(budget.text).toContain('ripoti ya madeni yanayosubiri malipo ya National Police Service');
});

it('when a reminder is copied to the advocate, is about a referral, or is not written to the budget bodies, then it carries no list of the agency\'s debts', async () => {
  const base: ReminderContent = {
    claimId: 'x', court: 'High Court of Kenya at Nairobi', caseNumber: 'Petition 1 of 2020', respondentAgencyId: 'national-police-service', advocateId: 'adv-wanjiru',
    deadlineKey: 'payment', kind: 'payment', owedBy: 'state', level: 3, occurrence: 0, to: ['national_treasury', 'controller_of_budget'],
    cc: ['accounting_officer'], advocateNotice: null, dueDate: '2026-01-01', asOf: '2026-03-01', daysOverdue: 59, outstandingCents: 1, interestAccruedCents: 0,
    dailyInterestCents: 0, policyVersion: 1,
  };
  expect(await pendingBillsAttachment(h.db, base)).not.toBeNull();
  expect(await pendingBillsAttachment(h.db, { ...base, level: 4, to: ['knchr', 'commission_on_administrative_justice', 'advocate'], cc: ['national_treasury', 'controller_of_budget'] })).toBeNull();
  expect(await pendingBillsAttachment(h.db, { ...base, cc: ['advocate'] })).toBeNull();
  expect(await pendingBillsAttachment(h.db, { ...base, to: ['attorney_general'] })).toBeNull();
  expect(await pendingBillsAttachment(h.db, { ...base, owedBy: 'fund', referral: { referralId: 'r', providerId: null, service: 'medical' } })).toBeNull();
});
