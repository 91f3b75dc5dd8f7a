/** The incident's step machines: order, dates, repeats, deadlines, closure (pure, no I/O). */
import { DEFAULT_POLICY_DOCUMENT } from '../../domain/escalation';
import {
  type TrackBase, type TrackCommand, type TrackDefinition, TRACK_DEFINITIONS, decideStep, evolveStep, incidentIdFor, incidentSchema,
  investigatingBodyFor, trackDeadlines,
} from '../../domain/incident';

const today = '2026-06-30';
const start = { incidentId: 'imlu.case-1', occurredOn: '2026-01-10', investigatingBodyId: 'ipoa', openedOn: '2026-02-01' };

/** Runs commands through decide/evolve as the workflow does; returns the state and every decision. */
function run(def: TrackDefinition<TrackBase>, commands: [string, Record<string, unknown>][]) {
  let state = def.initial(start);
  let sequence = 1;
  const decisions = commands.map(([name, input]) => {
    const d = decideStep(def, state, { name, input: { actor: 'tester', ...input } } as TrackCommand, today);
    if (d.outcome === 'accepted') state = evolveStep(def, state, d.event, ++sequence);
    return d;
  });
  return { state, decisions };
}

describe('investigation', () => {
  const def = TRACK_DEFINITIONS.investigation;
  it('when every step is taken in order, then the file is forwarded and the track closes with its facts', () => {
    const { state, decisions } = run(def, [
      ['lodgeComplaint', { lodgedOn: '2026-02-01' }], ['acknowledgeComplaint', { acknowledgedOn: '2026-02-05', bodyReference: 'IPOA/C/2026/77' }],
      ['openInvestigation', { openedOn: '2026-02-10' }], ['recordFindings', { foundOn: '2026-05-01', conclusion: 'offence_disclosed' }],
      ['recommend', { recommendedOn: '2026-05-10', recommendation: 'prosecute' }], ['forwardFile', { forwardedOn: '2026-05-12' }],
    ]);
    expect(decisions.map((d) => d.outcome)).toEqual(Array(6).fill('accepted'));
    expect(def.isClosed(state)).toBe(true);
    expect(def.facts(state)).toMatchObject({ stage: 'forwarded', investigationOpenedOn: '2026-02-10', forwardedOn: '2026-05-12', prosecutingBodyId: 'odpp' });
  });

  it('when a step comes out of order, then it is refused naming what must come first', () => {
    const { decisions } = run(def, [['openInvestigation', { openedOn: '2026-02-10' }]]);
    expect(decisions[0]).toEqual({ outcome: 'refused', refusal: { kind: 'conflict', reason: 'out of order: record the acknowledgment of the complaint first' } });
  });

  it('when a date is in the future, before the incident or before the step it follows, then the field is named', () => {
    const future = run(def, [['lodgeComplaint', { lodgedOn: '2026-07-01' }]]).decisions[0];
    expect(future).toMatchObject({ outcome: 'refused', refusal: { kind: 'invalid', field: 'lodgedOn', reason: expect.stringContaining('in the future') } });
    const early = run(def, [['lodgeComplaint', { lodgedOn: '2026-01-01' }]]).decisions[0];
    expect(early).toMatchObject({ refusal: { field: 'lodgedOn', reason: 'lodgedOn 2026-01-01 is before the incident (2026-01-10)' } });
    const backwards = run(def, [['lodgeComplaint', { lodgedOn: '2026-02-01' }], ['acknowledgeComplaint', { acknowledgedOn: '2026-01-20', bodyReference: 'X1' }]]).decisions[1];
    expect(backwards).toMatchObject({ refusal: { field: 'acknowledgedOn', reason: expect.stringContaining('before the complaint was lodged') } });
  });

  it('when a step is sent twice, then the same one is a repeat of its first sequence and a different one is refused', () => {
    const { decisions } = run(def, [
      ['lodgeComplaint', { lodgedOn: '2026-02-01' }], ['lodgeComplaint', { lodgedOn: '2026-02-01' }], ['lodgeComplaint', { lodgedOn: '2026-02-02' }],
    ]);
    expect(decisions[1]).toEqual({ outcome: 'duplicate', sequence: 2 });
    expect(decisions[2]).toMatchObject({ outcome: 'refused', refusal: { kind: 'conflict', reason: expect.stringContaining('already recorded as lodged on 2026-02-01') } });
  });

  it('when the recommendation is to close without reasons, then it is refused; with reasons the track closes and cannot forward', () => {
    const base: [string, Record<string, unknown>][] = [
      ['lodgeComplaint', { lodgedOn: '2026-02-01' }], ['acknowledgeComplaint', { acknowledgedOn: '2026-02-05', bodyReference: 'R1' }],
      ['openInvestigation', { openedOn: '2026-02-10' }], ['recordFindings', { foundOn: '2026-05-01', conclusion: 'insufficient_evidence' }],
    ];
    const bare = run(def, [...base, ['recommend', { recommendedOn: '2026-05-10', recommendation: 'close' }]]);
    expect(bare.decisions[4]).toMatchObject({ outcome: 'refused', refusal: { kind: 'invalid', field: 'reasons' } });
    const closed = run(def, [...base, ['recommend', { recommendedOn: '2026-05-10', recommendation: 'close', reasons: 'no witness would testify' }], ['forwardFile', { forwardedOn: '2026-05-12' }]]);
    expect(closed.state.stage).toBe('closed');
    expect(closed.decisions[5]).toMatchObject({ outcome: 'refused', refusal: { kind: 'conflict', reason: expect.stringContaining('investigation is closed') } });
  });

  it('when the complaint is lodged, then its acknowledgment is due under the policy, keyed by track', () => {
    const { state } = run(def, [['lodgeComplaint', { lodgedOn: '2026-02-01' }]]);
    expect(trackDeadlines(def, state, DEFAULT_POLICY_DOCUMENT)).toEqual([{
      key: 'investigation:complaint_acknowledgement', kind: 'complaint_acknowledgement', owedBy: 'investigating_body', anchor: '2026-02-01', days: 14, courtSet: false,
    }]);
  });
});

describe('prosecution', () => {
  const def = TRACK_DEFINITIONS.prosecution;
  it('when a file is returned for further investigation and resubmitted, then a second charging decision is a new step', () => {
    const { state, decisions } = run(def, [
      ['decideCharge', { decidedOn: '2026-02-10', decision: 'further_investigation', reasons: 'ballistics report missing' }],
      ['fileCharges', { filedOn: '2026-02-11', court: 'Milimani', caseNumber: 'CR 1/2026', accusedCount: 2 }],
      ['resubmitFile', { resubmittedOn: '2026-03-01' }],
      ['decideCharge', { decidedOn: '2026-03-05', decision: 'charge' }],
      ['fileCharges', { filedOn: '2026-03-06', court: 'Milimani Law Courts', caseNumber: 'CR E12/2026', accusedCount: 2 }],
    ]);
    expect(decisions.map((d) => d.outcome)).toEqual(['accepted', 'refused', 'accepted', 'accepted', 'accepted']);
    expect(decisions[1]).toMatchObject({ refusal: { reason: 'out of order: record a decision to charge first' } });
    expect(state.stage).toBe('charged');
    expect(trackDeadlines(def, state, DEFAULT_POLICY_DOCUMENT).map((d) => [d.kind, d.anchor])).toEqual([['trial_start', '2026-03-06']]);
  });

  it('when every accused has a verdict and every convicted one a sentence, then the case concludes; the appeal period then lapses it to final', () => {
    const { state, decisions } = run(def, [
      ['decideCharge', { decidedOn: '2026-02-10', decision: 'charge' }],
      ['fileCharges', { filedOn: '2026-02-11', court: 'Milimani', caseNumber: 'CR 1/2026', accusedCount: 2 }],
      ['recordVerdict', { accused: 1, verdict: 'convicted', deliveredOn: '2026-03-01' }],
      ['startTrial', { startedOn: '2026-02-20' }],
      ['recordVerdict', { accused: 3, verdict: 'acquitted', deliveredOn: '2026-04-01' }],
      ['recordVerdict', { accused: 1, verdict: 'convicted', deliveredOn: '2026-04-01' }],
      ['recordSentence', { accused: 2, sentencedOn: '2026-04-20', sentence: 'imprisonment', termMonths: 60 }],
      ['recordVerdict', { accused: 2, verdict: 'acquitted', deliveredOn: '2026-04-02' }],
      ['recordSentence', { accused: 1, sentencedOn: '2026-04-20', sentence: 'imprisonment', termMonths: 60 }],
    ]);
    expect(decisions.map((d) => d.outcome)).toEqual(['accepted', 'accepted', 'refused', 'accepted', 'refused', 'accepted', 'refused', 'accepted', 'accepted']);
    expect(decisions[2]).toMatchObject({ refusal: { reason: expect.stringContaining('record the start of the trial') } });
    expect(decisions[4]).toMatchObject({ refusal: { kind: 'invalid', field: 'accused', reason: 'accused 3 does not exist: the charges name 2 accused' } });
    expect(decisions[6]).toMatchObject({ refusal: { kind: 'conflict', reason: 'out of order: record the verdict for accused 2 first' } });
    expect([state.stage, (state as unknown as { concludedOn: string }).concludedOn]).toEqual(['concluded', '2026-04-20']);
    expect(def.facts(state)).toMatchObject({ chargedOn: '2026-02-11', convicted: true, closed: false });
    const lapse = def.lapse!(state)!;
    expect(lapse.after).toBe('2026-05-04');
    const final = evolveStep(def, state, { type: 'appeal_period_lapsed', ...lapse.fields }, 99);
    expect([final.stage, def.isClosed(final)]).toEqual(['final', true]);
  });

  it('when no charge is decided, then reasons are required and the track ends', () => {
    const { state, decisions } = run(def, [
      ['decideCharge', { decidedOn: '2026-02-10', decision: 'no_charge' }],
      ['decideCharge', { decidedOn: '2026-02-10', decision: 'no_charge', reasons: 'the evidence does not meet the threshold' }],
    ]);
    expect(decisions[0]).toMatchObject({ outcome: 'refused', refusal: { kind: 'invalid', field: 'reasons' } });
    expect([state.stage, def.isClosed(state), def.facts(state).convicted]).toEqual(['not_charged', true, false]);
  });

  it('when a defence appeal is allowed, then the conviction no longer counts', () => {
    const { state } = run(def, [
      ['decideCharge', { decidedOn: '2026-02-10', decision: 'charge' }], ['fileCharges', { filedOn: '2026-02-11', court: 'C', caseNumber: 'N', accusedCount: 1 }],
      ['startTrial', { startedOn: '2026-02-20' }], ['recordVerdict', { accused: 1, verdict: 'convicted', deliveredOn: '2026-03-01' }],
      ['recordSentence', { accused: 1, sentencedOn: '2026-03-05', sentence: 'fine' }], ['fileAppeal', { filedOn: '2026-03-10', by: 'defence' }],
      ['decideAppeal', { decidedOn: '2026-06-01', outcome: 'allowed' }],
    ]);
    expect([state.stage, def.facts(state).convicted]).toEqual(['final', false]);
  });
});

describe('inquest', () => {
  const def = TRACK_DEFINITIONS.inquest;
  it('when the track opens, then the notification of the death is due from that day; each step opens the next deadline', () => {
    const opened = def.initial(start);
    expect(trackDeadlines(def, opened, DEFAULT_POLICY_DOCUMENT).map((d) => [d.key, d.anchor, d.days])).toEqual([['inquest:death_notification', '2026-02-01', 7]]);
    const { state, decisions } = run(def, [
      ['recordPostMortem', { examinedOn: '2026-01-15', pathologist: 'government' }],
      ['notifyDeath', { notifiedOn: '2026-01-11', notifiedBy: 'police' }], ['recordPostMortem', { examinedOn: '2026-01-15', pathologist: 'joint' }],
      ['openInquest', { openedOn: '2026-03-01', court: "Chief Magistrate's Court, Kibera", inquestNumber: 'Inquest 4 of 2026' }],
      ['recordInquestFinding', { foundOn: '2026-06-01', finding: 'unlawful_killing', recommendsProsecution: true }],
    ]);
    expect(decisions[0]).toMatchObject({ refusal: { reason: 'out of order: record the notification of the death first' } });
    expect([state.stage, def.isClosed(state), def.facts(state).inquestOpenedOn]).toEqual(['finding_made', true, '2026-03-01']);
  });
});

describe('incident registration', () => {
  const incident = (acts: unknown[], extra: Record<string, unknown> = {}) => incidentSchema.safeParse({
    reference: 'IMLU/2026/014', occurredOn: '2026-01-10', county: 'nairobi', placeCategory: 'police_station',
    acts, sources: [{ kind: 'complaint', on: '2026-01-12' }], ...extra,
  });
  const police = { agencyId: 'national-police-service', unitCategory: 'regular_police' };

  it('when a person died or disappeared, then the family is the claimant party and is required', () => {
    const missing = incident([{ act: 'death_in_custody', victimRef: 'V-0001', perpetrator: police }]);
    expect(missing.success).toBe(false);
    expect(missing.error!.issues[0]).toMatchObject({ path: ['acts', 0, 'claimantRef'] });
    expect(incident([{ act: 'death_in_custody', victimRef: 'V-0001', claimantRef: 'F-0001', perpetrator: police }]).success).toBe(true);
    const alive = incident([{ act: 'torture', victimRef: 'V-0002', claimantRef: 'F-0002', perpetrator: police }]);
    expect(alive.error!.issues[0]).toMatchObject({ path: ['acts', 0, 'claimantRef'], message: expect.stringContaining('only for a victim who was killed') });
  });

  it("when someone adds an officer's name, then it is refused as an unknown field", () => {
    const named = incident([{ act: 'torture', victimRef: 'V-0002', perpetrator: { ...police, officerName: 'Sgt. Someone' } }]);
    expect(named.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: ['acts', 0, 'perpetrator'] });
  });

  it('when police are among the perpetrators, then IPOA investigates by default, otherwise the DCI', () => {
    const parsed = incident([{ act: 'torture', victimRef: 'V-0002', perpetrator: police }]);
    expect(investigatingBodyFor(parsed.data!)).toBe('ipoa');
    expect(investigatingBodyFor({ acts: [{ ...parsed.data!.acts[0]!, perpetrator: { agencyId: 'kenya-prisons-service', unitCategory: 'prison_officers' } }] })).toBe('dci');
  });

  it('when the same record comes again under other spacing or case, then it has the same id; never one a claim could have', () => {
    expect(incidentIdFor('imlu', 'IMLU/2026/014')).toBe(incidentIdFor('imlu', ' imlu 2026 014'.trim()));
    expect(incidentIdFor(undefined, 'X')).toBe('redress.x');
    expect(incidentIdFor('imlu', 'IMLU/2026/014')).toContain('.');
  });
});
