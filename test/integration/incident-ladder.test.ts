/**
 * The deadlines of an incident's tracks over months of simulated time on the Java time-skipping test server, with
 * reminders going to a real SMTP server and the record in real PostgreSQL: each lapse writes to the body that holds
 * the step, then (30 days on) to the oversight bodies and the documenting organisation, once each, and stops the
 * moment the step is taken.
 */
import { createIncidentService } from '../../api/incident/service';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { DAY_MS } from '../../domain/escalation';
import { trackWorkflowId } from '../../domain/incident';
import { countRows, sampleIncident } from '../support/harness';
import { CONTACTS, createTimeSkippingHarness } from '../support/time-skipping';

jest.setTimeout(240_000);

const BODIES = { ipoa: 'complaints@ipoa.test', odpp: 'registry@odpp.test', coroner: 'coroner-general@coroners.test', organisation: 'cases@imlu.test' };

let h: Awaited<ReturnType<typeof createTimeSkippingHarness>>;
let incidents: ReturnType<typeof createIncidentService>;
beforeAll(async () => {
  h = await createTimeSkippingHarness();
  incidents = createIncidentService({ client: h.env.client, db: h.db, taskQueue: h.taskQueue });
  await incidents.setBody({ id: 'ipoa', name: 'Independent Policing Oversight Authority', kind: 'investigating', email: BODIES.ipoa }, h.admin);
  await incidents.setBody({ id: 'odpp', name: 'Office of the Director of Public Prosecutions', kind: 'prosecuting', email: BODIES.odpp }, h.admin);
  await incidents.setOrganisation({ id: 'imlu-test', name: 'Medico-legal unit (fictional)', email: BODIES.organisation }, h.admin);
  await h.escalation.setContact({ role: 'coroner', name: 'Coroner-General (fictional)', email: BODIES.coroner }, h.admin);
});
afterAll(async () => { await h?.close(); });

const by = { id: 'imlu-clerk', role: 'documenting_organisation', organisationId: 'imlu-test' };
const police = { agencyId: 'national-police-service', unitCategory: 'general_service_unit' };
const OVERSIGHT = [CONTACTS.knchr, CONTACTS.commission_on_administrative_justice, BODIES.organisation];

async function sleepUntil(instant: number) {
  const now = await h.env.currentTimeMs();
  if (instant > now) await h.env.sleep(instant - now);
}
const toOf = (m: { headers: Map<string, unknown> }) => ((m.headers.get('to') as { value: { address: string }[] } | undefined)?.value ?? []).map((a) => a.address);
const ccOf = (m: { headers: Map<string, unknown> }) => ((m.headers.get('cc') as { value: { address: string }[] } | undefined)?.value ?? []).map((a) => a.address);
const step = (incidentId: string, name: Parameters<typeof incidents.command>[1], input: Record<string, unknown>) =>
  incidents.command(incidentId, name, { actor: 'tester', ...input });

/** Registered as having happened today by the wall clock (the service's "future" check), which the skipped server time has passed. */
const realToday = () => calendarDateAt(Date.now());

async function tortureIncident() {
  const today = realToday();
  return incidents.register(sampleIncident({
    occurredOn: today, sources: [{ kind: 'complaint', on: today }], interventions: [],
    acts: [{ act: 'torture', victimRef: 'VICT-LADDER-1', perpetrator: police }],
  }), by);
}

it('when a complaint is left unacknowledged, then the investigating body is written to weekly, the oversight bodies and the organisation from day 30, once each, and nothing after it acts', async () => {
  const { incidentId } = await tortureIncident();
  const lodged = await step(incidentId, 'lodgeComplaint', { lodgedOn: await h.today() });
  const deadline = lodged.status.deadlines[0]!;
  expect([deadline.kind, deadline.owedBy]).toEqual(['complaint_acknowledgement', 'investigating_body']);

  await sleepUntil(Date.parse(deadline.lapsesAt) + 40 * DAY_MS + 3_600_000);
  await h.smtp.waitFor(() => h.mailForIncident(incidentId).length >= 7);
  const mail = h.mailForIncident(incidentId);
  // Level 0 at days 0, 7, 14, 21, 28; level 1 at 30 and 37.
  expect(mail.map(toOf)).toEqual([...Array(5).fill([BODIES.ipoa]), OVERSIGHT, OVERSIGHT]);
  expect(ccOf(mail[5]!)).toEqual([BODIES.ipoa]);
  expect(new Set(mail.map((m) => m.messageId)).size).toBe(7);
  expect(mail[0]!.subject).toContain(`incident ${incidentId}`);
  expect(mail[0]!.text).toContain('Step owed by Independent Policing Oversight Authority: acknowledge the complaint about this incident.');
  expect(mail[0]!.text).toContain('kukiri kupokea malalamiko');
  expect(mail[5]!.text).toContain('has not acted after repeated reminders');
  // No victim, not even by reference, leaves Redress in a reminder.
  expect(mail.some((m) => m.raw.includes('VICT-LADDER-1'))).toBe(false);
  const rows = await h.db('reminders').where({ incident_id: incidentId }).orderBy('id');
  expect(rows.map((r) => [r.level, r.status])).toEqual([...Array(5).fill([0, 'sent']), [1, 'sent'], [1, 'sent']]);
  const escalations = await h.db('incident_events').where({ incident_id: incidentId, track: 'investigation', type: 'deadline_escalated' }).orderBy('sequence');
  expect(escalations.map((e) => e.payload.level)).toEqual([0, 1]);
  expect((await h.db('incidents').where({ id: incidentId }).first()).escalation_level).toBe(1);

  // The body acknowledges: the ladder stops; the opening of the investigation is due 30 days from now.
  const acknowledged = await step(incidentId, 'acknowledgeComplaint', { acknowledgedOn: await h.today(), bodyReference: 'IPOA/C/77' });
  expect(acknowledged.status.deadlines.map((d) => d.kind)).toEqual(['investigation_opening']);
  await h.env.sleep(25 * DAY_MS);
  await incidents.trackStatus(incidentId, 'investigation');
  expect(h.mailForIncident(incidentId)).toHaveLength(7);
  expect(await countRows(h.db, 'reminders', { incident_id: incidentId })).toBe(7);
  expect((await h.db('incidents').where({ id: incidentId }).first()).escalation_level).toBe(-1);
});

it('when a forwarded file waits for a charging decision, then the prosecutor office is written to, then the oversight bodies; a concluded case becomes final when the appeal period passes', async () => {
  const { incidentId } = await tortureIncident();
  const today = await h.today();
  for (const [name, input] of [
    ['lodgeComplaint', { lodgedOn: today }], ['acknowledgeComplaint', { acknowledgedOn: today, bodyReference: 'IPOA/C/78' }],
    ['openInvestigation', { openedOn: today }], ['recordFindings', { foundOn: today, conclusion: 'offence_disclosed' }],
    ['recommend', { recommendedOn: today, recommendation: 'prosecute' }], ['forwardFile', { forwardedOn: today }],
  ] as const) await step(incidentId, name, input);
  const handle = h.env.client.workflow.getHandle(trackWorkflowId(incidentId, 'prosecution'));
  let status = await incidents.trackStatus(incidentId, 'prosecution').catch(() => null);
  for (let i = 0; !status && i < 50; i++) { await new Promise((r) => setTimeout(r, 200)); status = await incidents.trackStatus(incidentId, 'prosecution').catch(() => null); }
  const deadline = status!.deadlines[0]!;
  expect([deadline.kind, deadline.owedBy]).toEqual(['charging_decision', 'prosecutor']);

  await sleepUntil(Date.parse(deadline.lapsesAt) + 31 * DAY_MS + 3_600_000);
  await h.smtp.waitFor(() => h.mailForIncident(incidentId).length >= 6);
  const mail = h.mailForIncident(incidentId);
  expect(mail.map(toOf)).toEqual([...Array(5).fill([BODIES.odpp]), OVERSIGHT]);
  expect(mail[0]!.text).toContain('Step owed by Office of the Director of Public Prosecutions: decide whether to charge');
  expect(mail.map((m) => m.headers.get('x-redress-reminder'))).toEqual([
    'prosecution:charging_decision/0/0', 'prosecution:charging_decision/0/1', 'prosecution:charging_decision/0/2', 'prosecution:charging_decision/0/3',
    'prosecution:charging_decision/0/4', 'prosecution:charging_decision/1/0',
  ]);

  const now = await h.today();
  await step(incidentId, 'decideCharge', { decidedOn: now, decision: 'charge' });
  await step(incidentId, 'fileCharges', { filedOn: now, court: 'High Court at Nairobi', caseNumber: 'CR 5 of 2026', accusedCount: 1 });
  await step(incidentId, 'startTrial', { startedOn: now });
  await step(incidentId, 'recordVerdict', { accused: 1, verdict: 'acquitted', deliveredOn: now });
  expect((await incidents.trackStatus(incidentId, 'prosecution')).stage).toBe('concluded');
  // No appeal within 14 days: the track takes the step itself and ends.
  await h.env.sleep(16 * DAY_MS);
  const result = await handle.result();
  expect([result.stage, result.closed]).toEqual(['final', true]);
  const last = await h.db('incident_events').where({ incident_id: incidentId, track: 'prosecution' }).orderBy('sequence', 'desc').first();
  expect([last.type, last.actor]).toEqual(['appeal_period_lapsed', 'redress']);
  expect(h.mailForIncident(incidentId)).toHaveLength(6);
});

it('when a death is not notified, then the investigating body and the coroner are both written to; each later inquest stage has its own deadline', async () => {
  const today = realToday();
  const { incidentId } = await incidents.register(sampleIncident({ occurredOn: today, sources: [{ kind: 'medico_legal_examination', on: today }], interventions: [] }), by);
  const status = await incidents.trackStatus(incidentId, 'inquest');
  const deadline = status.deadlines[0]!;
  expect([deadline.kind, deadline.lastDay]).toEqual(['death_notification', addDays(await h.today(), 7)]);
  await sleepUntil(Date.parse(deadline.lapsesAt) + 3_600_000);
  await h.smtp.waitFor(() => h.mailForIncident(incidentId).some((m) => m.headers.get('x-redress-reminder') === 'inquest:death_notification/0/0'));
  const first = h.mailForIncident(incidentId).find((m) => m.headers.get('x-redress-reminder') === 'inquest:death_notification/0/0')!;
  expect(toOf(first)).toEqual([BODIES.ipoa, BODIES.coroner]);
  const notified = await step(incidentId, 'notifyDeath', { notifiedOn: await h.today(), notifiedBy: 'documenting_organisation' });
  expect(notified.status.deadlines.map((d) => [d.kind, d.owedBy])).toEqual([['post_mortem', 'coroner']]);
  const before = h.mailForIncident(incidentId).filter((m) => String(m.headers.get('x-redress-reminder')).startsWith('inquest:')).length;
  await h.env.sleep(10 * DAY_MS);
  await incidents.trackStatus(incidentId, 'inquest');
  expect(h.mailForIncident(incidentId).filter((m) => String(m.headers.get('x-redress-reminder')).startsWith('inquest:'))).toHaveLength(before);
});
