/**
 * An incident's reminder as an email, in English then Kiswahili: which incident (by its id), which track, the step
 * owed and by whom, since when. It names no victim and no officer; the record behind it is in Redress.
 */
import { ROLE_NAMES, STEP_OWED } from '../../domain/escalation';
import type { IncidentReminderContent } from '../../domain/incident';
import type { Db } from '../../db/connection';
import type { RenderedMail } from '../escalation/render';

const TRACK_WORDS: Record<IncidentReminderContent['track'], [string, string]> = {
  investigation: ['Investigation', 'Uchunguzi'], prosecution: ['Prosecution', 'Mashtaka'], inquest: ['Inquest', 'Uchunguzi wa kifo'],
  incident: ['Rehabilitation referral', 'Rufaa ya ukarabati'],
};

const roleList = (roles: string[], lang: 'en' | 'sw') => roles.map((r) => ROLE_NAMES[r]?.[lang] ?? r).join(', ');
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderIncidentReminder(r: IncidentReminderContent, names: { owedBy: string }): RenderedMail {
  const step = STEP_OWED[r.kind];
  const [trackEn, trackSw] = TRACK_WORDS[r.track];
  const levelText = r.level === 0 ? 'the deadline has passed' : `escalation level ${r.level}`;
  const about = r.referral ? `${trackEn} ${r.referral.referralId} (${r.referral.service}) from incident ${r.incidentId}` : `${trackEn} of incident ${r.incidentId}`;
  const aboutSw = r.referral ? `${trackSw} ${r.referral.referralId} (${r.referral.service}) ya tukio ${r.incidentId}` : `${trackSw} wa tukio ${r.incidentId}`;
  const subject = `Overdue / Imechelewa: incident ${r.incidentId} — ${step.en} (${levelText})`;
  const en = [
    about, '',
    `Step owed by ${names.owedBy}: ${step.en}.`,
    `Basis: ${step.basis}. The period is Redress's deadline policy (version ${r.policyVersion}), not a statutory limit unless the basis says so.`,
    `Due by ${r.dueDate}; overdue ${r.daysOverdue} day(s) as of ${r.asOf}.`, '',
    `This reminder is addressed to: ${roleList(r.to, 'en')}.`,
    r.cc.length ? `Copied to: ${roleList(r.cc, 'en')}.` : 'No one else is copied at this level.',
  ];
  const sw = [
    aboutSw, '',
    `Hatua inayodaiwa: ${step.sw}.`,
    `Msingi: ${step.basis}. Muda huu ni sera ya Redress ya tarehe za mwisho (toleo ${r.policyVersion}).`,
    `Ilipaswa kufanyika kufikia ${r.dueDate}; imechelewa siku ${r.daysOverdue} kufikia ${r.asOf}.`, '',
    `Ukumbusho huu unaelekezwa kwa: ${roleList(r.to, 'sw')}.`,
    r.cc.length ? `Nakala kwa: ${roleList(r.cc, 'sw')}.` : 'Hakuna nakala katika ngazi hii.',
  ];
  if (r.level > 0 && r.to.includes('knchr')) {
    en.push('', 'To the oversight bodies and the documenting organisation: the body that holds this step has not acted after repeated reminders.');
    sw.push('', 'Kwa vyombo vya usimamizi na shirika lililorekodi tukio: chombo kinachohusika hakijachukua hatua licha ya ukumbusho wa mara kwa mara.');
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

/**
 * Addresses for an incident's reminder: the bodies holding the incident's tracks and the documenting organisation
 * from their own rows (the organisation also stands in for the advocate on a referral's ladder, as it acts for the
 * person), the provider from the referral, and the shared bodies (KNCHR, the Commission on Administrative Justice,
 * the coroner, the fund) from the contacts.
 */
export async function resolveIncidentRecipients(db: Db, r: IncidentReminderContent, roles: string[]): Promise<{ emails: string[]; missing: string[] }> {
  const emails: string[] = [];
  const missing: string[] = [];
  const body = async (id: string | null) => (id ? (await db('incident_bodies').where({ id }).first('email'))?.email ?? undefined : undefined);
  const organisation = async () => (r.documentingOrganisationId
    ? (await db('documenting_organisations').where({ id: r.documentingOrganisationId }).first('email'))?.email : undefined);
  for (const role of roles) {
    let email: string | undefined;
    if (role === 'investigating_body') email = await body(r.investigatingBodyId);
    else if (role === 'prosecuting_body') email = await body(r.prosecutingBodyId ?? 'odpp');
    else if (role === 'documenting_organisation' || role === 'advocate') email = await organisation();
    else if (role === 'provider') email = r.referral?.providerId ? (await db('providers').where({ id: r.referral.providerId }).first('email'))?.email : undefined;
    else email = (await db('contacts').where({ role, active: true }).whereNull('agency_id').first('email'))?.email;
    if (email) emails.push(email); else missing.push(role);
  }
  return { emails: [...new Set(emails)], missing };
}

/** Who owes the step, in words, for the reminder's first line. */
export async function owedByName(db: Db, r: IncidentReminderContent): Promise<string> {
  const bodyName = async (id: string | null) => (id ? (await db('incident_bodies').where({ id }).first('name'))?.name ?? id : 'the body');
  switch (r.owedBy) {
    case 'investigating_body': return bodyName(r.investigatingBodyId);
    case 'prosecutor': return bodyName(r.prosecutingBodyId ?? 'odpp');
    case 'coroner': return ROLE_NAMES.coroner!.en;
    case 'fund': return ROLE_NAMES.fund_administrator!.en;
    case 'provider': return ROLE_NAMES.provider!.en;
    default: return ROLE_NAMES.documenting_organisation!.en;
  }
}
