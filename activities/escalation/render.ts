/**
 * A reminder as an email, in English then Kiswahili, plain text and HTML. It names the claim by its reference,
 * court and case number, never the survivor.
 */
import { type ReminderContent, ROLE_NAMES, STEP_OWED } from '../../domain/escalation';
import { formatKes } from '../../domain/money';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The agency's pending-bills report attached to the reminder (National Treasury and Controller of Budget level). */
export interface PendingBillsAttachment {
  filename: string;
  financialYear: string;
  reportDate: string;
  orders: number;
  outstandingCents: number;
  dailyInterestCents: number;
}

const roleList = (roles: string[], lang: 'en' | 'sw') => roles.map((r) => ROLE_NAMES[r]?.[lang] ?? r).join(', ');

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** What a reminder may carry besides its text: the agency's pending bills (attached), and the acknowledgment link. */
export interface ReminderExtras { attachment?: PendingBillsAttachment | undefined; link?: string | undefined }

export function renderReminder(r: ReminderContent, agencyName: string, extras: ReminderExtras = {}): RenderedMail {
  const { attachment, link } = extras;
  const step = STEP_OWED[r.kind];
  const who: string = ({ state: agencyName, advocate: ROLE_NAMES.advocate!.en, fund: ROLE_NAMES.fund_administrator!.en, provider: ROLE_NAMES.provider!.en } as Record<string, string>)[r.owedBy] ?? r.owedBy;
  const about = r.referral ? `Rehabilitation referral ${r.referral.referralId} (${r.referral.service}) under claim ${r.claimId}` : `Claim ${r.claimId}`;
  const aboutSw = r.referral ? `Rufaa ya ukarabati ${r.referral.referralId} (${r.referral.service}) chini ya dai ${r.claimId}` : `Dai ${r.claimId}`;
  const levelText = r.level === 0 ? 'the deadline has passed' : `escalation level ${r.level}`;
  const subject = `Overdue / Imechelewa: ${r.court}, ${r.caseNumber} — ${step.en} (${levelText})`;

  const en = [
    about,
    `${r.court}, ${r.caseNumber}. Respondent: ${agencyName}.`,
    '',
    `Step owed by ${who}: ${step.en}.`,
    `Legal basis: ${step.basis}.`,
    `Due by ${r.dueDate}; overdue ${r.daysOverdue} day(s) as of ${r.asOf}.`,
    // The claim's money is no business of a provider's: referral reminders leave it out.
    ...(r.referral ? [''] : [
      '',
      `Outstanding today: ${formatKes(r.outstandingCents)} (KES ${r.outstandingCents} cents), of which interest accrued so far ${formatKes(r.interestAccruedCents)}.`,
      `Each further day of delay adds ${formatKes(r.dailyInterestCents)} in interest.`,
      '',
    ]),
    `This reminder is addressed to: ${roleList(r.to, 'en')}.`,
    r.cc.length ? `Copied to: ${roleList(r.cc, 'en')}.` : 'No one else is copied at this level.',
  ];
  if (attachment) {
    en.push('', `Attached (${attachment.filename}): the pending-bills report of ${agencyName} for the financial year ${attachment.financialYear}, position on ${attachment.reportDate}: `
      + `${attachment.orders} certified order(s) not paid in full, ${formatKes(attachment.outstandingCents)} outstanding, ${formatKes(attachment.dailyInterestCents)} more in interest each day; oldest first, the order in which to pay them.`);
  }
  if (r.commitment) {
    en.push('', `On ${r.commitment.madeOn}, ${r.commitment.officerName} committed, for ${agencyName}, to: ${r.commitment.action}, by ${r.commitment.dueOn} (responsible: ${r.commitment.responsible}). That date has passed and the step is still owed.`);
  }
  if (link) {
    en.push('', `Acknowledge this reminder, and say what will be done and by when: ${link} (no account needed; the link expires after 30 days).`);
  }
  if (r.advocateNotice === 'ripe_for_mandamus') {
    en.push('', `To the claimant's advocate: the escalation ladder is exhausted. The claim is ripe for judicial review for an order of mandamus against the accounting officer: certificate of order served, ${r.daysOverdue} days overdue, ${formatKes(r.outstandingCents)} outstanding.`);
  } else if (r.advocateNotice === 'ripe_for_contempt') {
    en.push('', `To the claimant's advocate: the period the court set for compliance has passed. The claim is ripe for a notice to show cause why the accounting officer should not be cited for contempt.`);
  }

  const sw = [
    aboutSw,
    `${r.court}, ${r.caseNumber}. Mjibu: ${agencyName}.`,
    '',
    `Hatua inayodaiwa: ${step.sw}.`,
    `Msingi wa kisheria: ${step.basis}.`,
    `Ilipaswa kufanyika kufikia ${r.dueDate}; imechelewa siku ${r.daysOverdue} kufikia ${r.asOf}.`,
    ...(r.referral ? [''] : [
      '',
      `Kiasi kinachodaiwa leo: ${formatKes(r.outstandingCents)}, ikiwemo riba iliyolimbikizwa ${formatKes(r.interestAccruedCents)}.`,
      `Kila siku ya ziada ya kuchelewa inaongeza riba ya ${formatKes(r.dailyInterestCents)}.`,
      '',
    ]),
    `Ukumbusho huu unaelekezwa kwa: ${roleList(r.to, 'sw')}.`,
    r.cc.length ? `Nakala kwa: ${roleList(r.cc, 'sw')}.` : 'Hakuna nakala katika ngazi hii.',
  ];
  if (attachment) {
    sw.push('', `Kiambatisho (${attachment.filename}): ripoti ya madeni yanayosubiri malipo ya ${agencyName} kwa mwaka wa fedha ${attachment.financialYear}, hali kufikia ${attachment.reportDate}: `
      + `amri ${attachment.orders} zenye cheti ambazo hazijalipwa kikamilifu, ${formatKes(attachment.outstandingCents)} zinadaiwa, riba ya ${formatKes(attachment.dailyInterestCents)} zaidi kila siku; za zamani kwanza, kwa mpangilio wa kuzilipa.`);
  }
  if (r.commitment) sw.push('', `Tarehe ${r.commitment.madeOn}, ${r.commitment.officerName} aliahidi: ${r.commitment.action}, kufikia ${r.commitment.dueOn}. Tarehe hiyo imepita na hatua bado inadaiwa.`);
  if (link) sw.push('', `Thibitisha kupokea ukumbusho huu na ueleze kitakachofanyika na lini: ${link}`);
  if (r.advocateNotice === 'ripe_for_mandamus') {
    sw.push('', 'Kwa wakili wa mdai: ngazi zote za ukumbusho zimekamilika. Dai liko tayari kwa ombi la mapitio ya kimahakama kupata amri ya mandamus dhidi ya Afisa Masuuli.');
  } else if (r.advocateNotice === 'ripe_for_contempt') {
    sw.push('', 'Kwa wakili wa mdai: muda uliowekwa na mahakama umepita. Dai liko tayari kwa notisi ya kueleza kwa nini Afisa Masuuli asishtakiwe kwa dharau ya mahakama.');
  }

  const footer = `Redress reminder: ${r.deadlineKey}, ladder level ${r.level}, slot ${r.occurrence} of its cadence (policy v${r.policyVersion}).`;
  const text = [...en, '', '— Kiswahili —', '', ...sw, '', footer].join('\n');
  const para = (lines: string[]) => lines.filter((l) => l !== '').map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');
  const html = `<!doctype html><html lang="en"><body>
<section lang="en">${para(en)}</section>
<hr>
<section lang="sw">${para(sw)}</section>
<p><small>${escapeHtml(footer)}</small></p>
</body></html>`;
  return { subject, text, html };
}
