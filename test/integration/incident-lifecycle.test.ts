/**
 * Incidents and their tracks on the real Temporal dev server, PostgreSQL and SMTP: each track's lifecycle from the
 * first step to its end, every refusal leaving nothing recorded, repeats answered once, continue-as-new.
 */
import { CommandRefused, InvalidInput } from '../../api/errors';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { type IncidentFact, incidentWorkflowId, trackWorkflowId } from '../../domain/incident';
import { scanIncidentFacts } from '../../db/incident-facts';
import { verifyIncidentChains } from '../../db/incidents';
import { type Harness, countRows, createHarness, eventually, incidentSteps, sampleIncident } from '../support/harness';

jest.setTimeout(180_000);

let h: Harness;
const admin = 'admin-achieng';
const investigator = 'ipoa-investigator';
const prosecutor = 'odpp-prosecutor';
const today = calendarDateAt(Date.now());
const occurredOn = addDays(today, -20);

beforeAll(async () => {
  // A low threshold, so tracks with many steps (and the incident) continue as new within the test.
  h = await createHarness({ continueAsNewAfterEvents: 60 });
  await h.startWorker();
});
afterAll(async () => { await h?.close(); });

const registrar = { id: admin, role: 'administrator', organisationId: null };
async function register(overrides: Record<string, unknown> = {}) {
  return h.incidents.register(sampleIncident({ occurredOn, sources: [{ kind: 'complaint', on: occurredOn }], interventions: [], ...overrides }), registrar);
}
const step = (incidentId: string, name: Parameters<Harness['incidents']['command']>[1], input: Record<string, unknown>, actor = admin) =>
  h.incidents.command(incidentId, name, { actor, ...input });

async function forwarded(incidentId: string) {
  await step(incidentId, 'lodgeComplaint', { lodgedOn: today });
  await step(incidentId, 'acknowledgeComplaint', { acknowledgedOn: today, bodyReference: 'IPOA/C/2026/0142' }, investigator);
  await step(incidentId, 'openInvestigation', { openedOn: today }, investigator);
  await step(incidentId, 'recordFindings', { foundOn: today, conclusion: 'offence_disclosed' }, investigator);
  await step(incidentId, 'recommend', { recommendedOn: today, recommendation: 'prosecute' }, investigator);
  return step(incidentId, 'forwardFile', { forwardedOn: today }, investigator);
}

it('when a death in custody is registered, then the incident, its acts and its investigation and inquest tracks are recorded, and the same record again is the same incident', async () => {
  const incident = sampleIncident({ occurredOn, sources: [{ kind: 'complaint', on: occurredOn }], interventions: [] });
  const first = await h.incidents.register(incident, registrar);
  expect(first.created).toBe(true);
  const row = await h.db('incidents').where({ id: first.incidentId }).first();
  expect([row.investigating_body_id, row.acts, row.deaths, row.investigation_stage, row.inquest_stage, row.prosecution_stage])
    .toEqual(['ipoa', ['death_in_custody', 'torture'], true, 'awaiting_complaint', 'awaiting_notification', null]);
  expect(await h.db('incident_acts').where({ incident_id: first.incidentId }).orderBy('position').pluck('claimant_ref')).toEqual([null, 'FAM-2026-0001']);
  expect(await h.db('incident_tracks').where({ incident_id: first.incidentId }).orderBy('track').pluck('track')).toEqual(['incident', 'inquest', 'investigation']);
  expect(await incidentSteps(h.db, first.incidentId, 'incident')).toEqual(['incident_registered', 'track_started', 'track_started']);

  const again = await h.incidents.register({ ...incident, reference: ` ${incident.reference.toLowerCase()}` }, registrar);
  expect(again).toEqual({ incidentId: first.incidentId, created: false });
  expect(await countRows(h.db, 'incidents', { reference: incident.reference })).toBe(1);
  expect(await countRows(h.db, 'incident_events', { incident_id: first.incidentId, type: 'incident_registered' })).toBe(1);
});

it('when the investigation runs to a recommendation to prosecute and forwards its file, then the prosecution track opens and the prosecutor office sees it', async () => {
  const { incidentId } = await register();
  const result = await forwarded(incidentId);
  expect(result.status).toMatchObject({ stage: 'forwarded', closed: true, deadlines: [] });
  expect(await incidentSteps(h.db, incidentId, 'investigation')).toEqual([
    'complaint_lodged', 'complaint_acknowledged', 'investigation_opened', 'findings_recorded', 'recommendation_made', 'file_forwarded',
  ]);
  const row = await h.db('incidents').where({ id: incidentId }).first();
  expect([row.investigation_stage, row.prosecuting_body_id, row.investigation_opened_on !== null, row.forwarded_on !== null]).toEqual(['forwarded', 'odpp', true, true]);
  // The incident starts the prosecution from the forwarded file; the charging decision is then due.
  const prosecution = await eventually(() => h.db('incident_tracks').where({ incident_id: incidentId, track: 'prosecution' }).first(), (t) => t !== undefined);
  expect(prosecution.stage).toBe('file_received');
  // The row is written as the child starts; its workflow answers Queries a moment later (404 until then).
  const status = (await eventually(() => h.incidents.trackStatus(incidentId, 'prosecution').catch(() => null), (s) => s !== null && s.deadlines.length === 1))!;
  expect(status.deadlines[0]).toMatchObject({ key: 'prosecution:charging_decision', kind: 'charging_decision', owedBy: 'prosecutor', lastDay: addDays(today, 30) });
  // The investigation's workflow has ended; a further step is refused with the reason.
  await expect(step(incidentId, 'openInvestigation', { openedOn: today }, investigator)).rejects.toMatchObject({ refusal: { kind: 'conflict', reason: expect.stringContaining('forwarded') } });
});

it('when the prosecution goes back for further investigation, is charged, tried, and every accused has a verdict and sentence, then an appeal decided makes it final with its outcomes recorded', async () => {
  const { incidentId } = await register();
  await forwarded(incidentId);
  await eventually(() => h.db('incident_tracks').where({ incident_id: incidentId, track: 'prosecution' }).first(), (t) => t !== undefined);
  await step(incidentId, 'decideCharge', { decidedOn: today, decision: 'further_investigation', reasons: 'the post-mortem report is not on the file' }, prosecutor);
  const back = await h.incidents.trackStatus(incidentId, 'prosecution');
  expect(back.deadlines.map((d) => [d.kind, d.owedBy])).toEqual([['further_investigation', 'investigating_body']]);
  await step(incidentId, 'resubmitFile', { resubmittedOn: today }, investigator);
  await step(incidentId, 'decideCharge', { decidedOn: today, decision: 'charge' }, prosecutor);
  await step(incidentId, 'fileCharges', { filedOn: today, court: "Chief Magistrate's Court at Milimani", caseNumber: 'CR E0412 of 2026', accusedCount: 2 }, prosecutor);
  await step(incidentId, 'startTrial', { startedOn: today }, prosecutor);
  await step(incidentId, 'recordVerdict', { accused: 1, verdict: 'convicted', deliveredOn: today }, prosecutor);
  await step(incidentId, 'recordVerdict', { accused: 2, verdict: 'acquitted', deliveredOn: today }, prosecutor);
  const sentenced = await step(incidentId, 'recordSentence', { accused: 1, sentencedOn: today, sentence: 'imprisonment', termMonths: 84 }, prosecutor);
  expect(sentenced.status.stage).toBe('concluded');
  await step(incidentId, 'fileAppeal', { filedOn: today, by: 'defence' }, prosecutor);
  const final = await step(incidentId, 'decideAppeal', { decidedOn: today, outcome: 'dismissed' }, prosecutor);
  expect(final.status).toMatchObject({ stage: 'final', closed: true });
  expect(await incidentSteps(h.db, incidentId, 'prosecution')).toEqual([
    'charging_decided', 'file_resubmitted', 'charging_decided', 'charges_filed', 'trial_started', 'verdict_recorded', 'verdict_recorded',
    'sentence_recorded', 'appeal_filed', 'appeal_decided',
  ]);
  const row = await h.db('incidents').where({ id: incidentId }).first();
  expect([row.prosecution_stage, row.convicted, row.charged_on !== null]).toEqual(['final', true, true]);
  await h.env.client.workflow.getHandle(trackWorkflowId(incidentId, 'prosecution')).result();
});

it('when the inquest runs from notification to finding, then it closes; an incident with no death has no inquest and says so', async () => {
  const { incidentId } = await register();
  await step(incidentId, 'notifyDeath', { notifiedOn: addDays(occurredOn, 1), notifiedBy: 'police' });
  await step(incidentId, 'recordPostMortem', { examinedOn: addDays(occurredOn, 3), pathologist: 'joint' });
  await step(incidentId, 'openInquest', { openedOn: today, court: "Chief Magistrate's Court at Kibera", inquestNumber: 'Inquest E19 of 2026' });
  const found = await step(incidentId, 'recordInquestFinding', { foundOn: today, finding: 'unlawful_killing', recommendsProsecution: true });
  expect(found.status).toMatchObject({ stage: 'finding_made', closed: true });
  expect((await h.db('incidents').where({ id: incidentId }).first()).inquest_opened_on).not.toBeNull();

  const { incidentId: alive } = await register({ acts: [{ act: 'arbitrary_arrest_or_detention', victimRef: 'VICT-2026-0077', perpetrator: { agencyId: 'national-police-service', unitCategory: 'administration_police' } }] });
  expect(await h.db('incident_tracks').where({ incident_id: alive }).orderBy('track').pluck('track')).toEqual(['incident', 'investigation']);
  await expect(step(alive, 'notifyDeath', { notifiedOn: today, notifiedBy: 'police' })).rejects.toMatchObject({ refusal: { kind: 'conflict', reason: 'the incident records no death, so it has no inquest' } });
  await expect(step(alive, 'decideCharge', { decidedOn: today, decision: 'charge' })).rejects.toMatchObject({ refusal: { reason: expect.stringContaining('no file has been forwarded') } });
});

it('when steps are refused (out of order, bad input, bad dates, after the end), then each says why and nothing is recorded, in PostgreSQL or in the workflow history', async () => {
  const { incidentId } = await register();
  const events = () => countRows(h.db, 'incident_events', { incident_id: incidentId });
  await eventually(events, (n) => n >= 5); // registration, two track starts, two track openings
  const before = await events();
  const attempts: [Parameters<Harness['incidents']['command']>[1], Record<string, unknown>, object][] = [
    ['openInvestigation', { openedOn: today }, { kind: 'conflict', reason: 'out of order: record the acknowledgment of the complaint first' }],
    ['lodgeComplaint', { lodgedOn: addDays(today, 1) }, { kind: 'invalid', field: 'lodgedOn' }],
    ['lodgeComplaint', { lodgedOn: addDays(occurredOn, -1) }, { kind: 'invalid', field: 'lodgedOn', reason: expect.stringContaining('before the incident') }],
    ['lodgeComplaint', { lodgedOn: 'yesterday' }, { kind: 'invalid', field: 'lodgedOn' }],
    ['lodgeComplaint', { lodgedOn: today, officer: 'Inspector X' }, { kind: 'invalid', reason: expect.stringContaining('unknown field(s): officer') }],
    ['recordPostMortem', { examinedOn: today, pathologist: 'government' }, { kind: 'conflict', reason: 'out of order: record the notification of the death first' }],
    ['notifyDeath', { notifiedOn: today, notifiedBy: 'a neighbour' }, { kind: 'invalid', field: 'notifiedBy' }],
  ];
  for (const [name, input, refusal] of attempts) {
    const err = await step(incidentId, name, input).catch((e: unknown) => e);
    expect([name, err instanceof CommandRefused]).toEqual([name, true]);
    expect((err as CommandRefused).refusal).toMatchObject(refusal);
  }
  expect(await events()).toBe(before);
  // A validator refuses before history: the refused updates never reached the tracks' histories.
  for (const track of ['investigation', 'inquest'] as const) {
    const history = await h.env.client.workflow.getHandle(trackWorkflowId(incidentId, track)).fetchHistory();
    expect([track, history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length]).toEqual([track, 0]);
  }
  // A closed investigation refuses everything, a repeat included only if it differs.
  await step(incidentId, 'lodgeComplaint', { lodgedOn: today });
  await step(incidentId, 'acknowledgeComplaint', { acknowledgedOn: today, bodyReference: 'IPOA/C/1' }, investigator);
  await step(incidentId, 'openInvestigation', { openedOn: today }, investigator);
  await step(incidentId, 'recordFindings', { foundOn: today, conclusion: 'insufficient_evidence' }, investigator);
  await expect(step(incidentId, 'recommend', { recommendedOn: today, recommendation: 'close' }, investigator)).rejects.toMatchObject({ refusal: { kind: 'invalid', field: 'reasons' } });
  const closed = await step(incidentId, 'recommend', { recommendedOn: today, recommendation: 'close', reasons: 'no witness would testify' }, investigator);
  expect(closed.status).toMatchObject({ stage: 'closed', closed: true });
  const after = await events();
  await expect(step(incidentId, 'forwardFile', { forwardedOn: today }, investigator)).rejects.toMatchObject({ refusal: { kind: 'conflict' } });
  await expect(step(incidentId, 'recommend', { recommendedOn: today, recommendation: 'prosecute' }, investigator)).rejects.toMatchObject({ refusal: { kind: 'conflict' } });
  expect(await events()).toBe(after);
});

it('when the same step is sent twice, concurrently, then it is recorded once and both get its sequence', async () => {
  const { incidentId } = await register();
  const [a, b] = await Promise.all([step(incidentId, 'lodgeComplaint', { lodgedOn: today }), step(incidentId, 'lodgeComplaint', { lodgedOn: today })]);
  expect(a.sequence).toBe(b.sequence);
  expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
  expect(await countRows(h.db, 'incident_events', { incident_id: incidentId, type: 'complaint_lodged' })).toBe(1);
});

it('when a registration is invalid, then every bad field is named and nothing is recorded', async () => {
  const before = await countRows(h.db, 'incidents', {});
  const err = await register({
    reference: 'OK/1', occurredOn: addDays(today, 3), county: 'atlantis',
    acts: [{ act: 'extra_judicial_killing', victimRef: 'Jane Doe', perpetrator: { agencyId: 'ministry-of-magic', unitCategory: 'regular_police' } }],
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidInput);
  expect((err as InvalidInput).issues.map((i) => i.field).sort()).toEqual(['acts.0.perpetrator.agencyId', 'acts.0.victimRef', 'county']);
  const family = await register({ acts: [{ act: 'extra_judicial_killing', victimRef: 'V-101', perpetrator: { agencyId: 'national-police-service', unitCategory: 'special_unit' } }] }).catch((e: unknown) => e);
  expect((family as InvalidInput).issues).toEqual([{ field: 'acts.0.claimantRef', rule: 'is required for extra judicial killing: the family acts for the victim' }]);
  const refs = await register({
    reference: 'OK/2', occurredOn: addDays(today, 3), sources: [{ kind: 'complaint', on: addDays(today, 3) }], investigatingBodyId: 'ministry-of-truth',
    acts: [{ act: 'torture', victimRef: 'V-100', perpetrator: { agencyId: 'ministry-of-magic', unitCategory: 'regular_police' } }],
  }).catch((e: unknown) => e);
  expect((refs as InvalidInput).issues).toEqual([
    { field: 'occurredOn', rule: `is in the future (today is ${calendarDateAt(Date.now())})` },
    { field: 'sources.0.on', rule: `is in the future (today is ${calendarDateAt(Date.now())})` },
    { field: 'acts.0.perpetrator.agencyId', rule: 'unknown agency ministry-of-magic' },
    { field: 'investigatingBodyId', rule: 'unknown investigating body ministry-of-truth' },
  ]);
  expect(await countRows(h.db, 'incidents', {})).toBe(before);
});

it("when a track's history grows long, then it continues as new carrying its state and keeps its chain in sequence; every chain verifies", async () => {
  const { incidentId } = await register();
  await forwarded(incidentId);
  const handle = h.env.client.workflow.getHandle(trackWorkflowId(incidentId, 'prosecution'));
  const firstRun = (await eventually(() => handle.describe().catch(() => null), (d) => d !== null))!.runId;
  await step(incidentId, 'decideCharge', { decidedOn: today, decision: 'charge' }, prosecutor);
  await step(incidentId, 'fileCharges', { filedOn: today, court: 'High Court at Nairobi', caseNumber: 'CR 9 of 2026', accusedCount: 12 }, prosecutor);
  await step(incidentId, 'startTrial', { startedOn: today }, prosecutor);
  for (let accused = 1; accused <= 12; accused++) await step(incidentId, 'recordVerdict', { accused, verdict: accused % 3 ? 'acquitted' : 'convicted', deliveredOn: today }, prosecutor);
  for (const accused of [3, 6, 9, 12]) await step(incidentId, 'recordSentence', { accused, sentencedOn: today, sentence: 'imprisonment', termMonths: 120 }, prosecutor);
  const status = await h.incidents.trackStatus(incidentId, 'prosecution');
  expect([status.stage, Object.keys(status.state.track === 'prosecution' ? status.state.verdicts : {}).length]).toEqual(['concluded', 12]);
  // It continues as new once no step is in flight (a steady stream of steps may hold it back until the last).
  await eventually(async () => (await handle.describe()).runId, (runId) => runId !== firstRun);
  const firstHistory = await h.env.client.workflow.getHandle(trackWorkflowId(incidentId, 'prosecution'), firstRun).describe();
  expect([firstHistory.status.name, firstHistory.historyLength > 60]).toEqual(['CONTINUED_AS_NEW', true]);
  expect(await incidentSteps(h.db, incidentId, 'prosecution')).toHaveLength(3 + 12 + 4);
  const verdict = await verifyIncidentChains(h.db, incidentId);
  expect(verdict.ok).toBe(true);
  expect(verdict.chains.map((c) => c.track)).toEqual(['incident', 'inquest', 'investigation', 'prosecution']);
  // The incident workflow is still there (waiting for what comes next), on whatever run it is.
  expect((await h.env.client.workflow.getHandle(incidentWorkflowId(incidentId)).describe()).status.name).toBe('RUNNING');
});

it('when anyone alters or deletes an incident event, then PostgreSQL refuses; altered behind the triggers, verification names the track and the event', async () => {
  const { incidentId } = await register();
  await step(incidentId, 'lodgeComplaint', { lodgedOn: today });
  await step(incidentId, 'acknowledgeComplaint', { acknowledgedOn: today, bodyReference: 'IPOA/C/9' }, investigator);
  await expect(h.db('incident_events').where({ incident_id: incidentId }).update({ actor: 'someone-else' })).rejects.toThrow(/append-only/);
  await expect(h.db('incident_acts').where({ incident_id: incidentId }).delete()).rejects.toThrow(/append-only/);
  expect((await verifyIncidentChains(h.db, incidentId)).ok).toBe(true);
  await h.db.transaction(async (trx) => {
    await trx.raw('ALTER TABLE incident_events DISABLE TRIGGER incident_events_append_only');
    await trx.raw(`UPDATE incident_events SET payload = jsonb_set(payload, '{acknowledgedOn}', '"2026-01-01"') WHERE incident_id = ? AND track = 'investigation' AND sequence = 3`, [incidentId]);
    await trx.raw('ALTER TABLE incident_events ENABLE TRIGGER incident_events_append_only');
  });
  const verdict = await verifyIncidentChains(h.db, incidentId);
  expect(verdict.ok).toBe(false);
  expect(verdict.chains.find((c) => c.track === 'investigation')).toMatchObject({ ok: false, firstBrokenSequence: 3, reason: 'event 3 was altered after it was recorded' });
  expect(verdict.chains.filter((c) => c.ok).map((c) => c.track)).toEqual(['incident', 'inquest']);
});

it('when the facts for the public tables are scanned, then every incident yields one, in keyset batches, with no identifier in it', async () => {
  const { incidentId } = await register();
  await forwarded(incidentId);
  const collect = async (batch: number) => {
    const all: IncidentFact[] = [];
    const n = await scanIncidentFacts(h.db, (facts) => { all.push(...facts); }, batch);
    return { n, all };
  };
  const small = await collect(2);
  const large = await collect(5_000);
  expect(small).toEqual(large);
  const rows = await h.db('incidents').select('id', 'reference', 'charged_on', 'investigation_opened_on');
  expect(small.n).toBe(rows.length);
  const text = JSON.stringify(small.all);
  for (const r of rows) {
    expect(text).not.toContain(r.id);
    expect(text).not.toContain(r.reference);
  }
  expect(text).not.toContain('VICT-');
  expect(small.all.filter((f) => f.charged)).toHaveLength(rows.filter((r) => r.charged_on !== null).length);
  expect(small.all.filter((f) => f.investigated)).toHaveLength(rows.filter((r) => r.investigation_opened_on !== null).length);
  expect(small.all.filter((f) => f.responsibleBody === 'ipoa' && f.investigated).length).toBeGreaterThanOrEqual(1);
});
