/**
 * The prosecution track, held by the Office of the Director of Public Prosecutions once the investigation forwards
 * its file: charging decision (charge; no charge, with reasons; or further investigation, which returns the file
 * to the investigating body until it is resubmitted) -> charges filed (court, case number, number of accused) ->
 * trial -> a verdict per accused (convicted, acquitted, withdrawn) -> a sentence per convicted accused -> concluded.
 * A concluded case becomes final when the appeal period passes with no appeal, or when an appeal is decided.
 */
import { z } from 'zod';
import { type CalendarDate, addDays, compareDates, maxDate } from '../calendar-date';
import { calendarDate, nonEmptyText } from '../validation';
import { type TrackBase, type TrackDefinition, type TrackStart, checkStepDate, refuse } from './track';

export const PROSECUTION_STAGES = [
  'file_received', 'returned_for_investigation', 'to_be_charged', 'charged', 'on_trial', 'verdicts_given', 'concluded',
  'on_appeal', 'not_charged', 'final',
] as const;
export type ProsecutionStage = (typeof PROSECUTION_STAGES)[number];
export const CHARGING_DECISIONS = ['charge', 'no_charge', 'further_investigation'] as const;
export const VERDICTS = ['convicted', 'acquitted', 'withdrawn'] as const;
export const SENTENCES = ['imprisonment', 'fine', 'imprisonment_and_fine', 'community_service', 'probation', 'death', 'other'] as const;
export const APPEAL_OUTCOMES = ['dismissed', 'allowed'] as const;
/** An appeal is entered within 14 days of the sentence (Criminal Procedure Code (Cap 75) s.349): law, not policy. */
export const APPEAL_PERIOD_DAYS = 14;
export const MAX_ACCUSED = 50;

const actor = nonEmptyText(64);
const accused = z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_ACCUSED, `must be at most ${MAX_ACCUSED}`);

export const prosecutionCommands = {
  decideCharge: z.object({ actor, decidedOn: calendarDate, decision: z.enum(CHARGING_DECISIONS), reasons: nonEmptyText(1000).optional() }).strict(),
  resubmitFile: z.object({ actor, resubmittedOn: calendarDate }).strict(),
  fileCharges: z.object({ actor, filedOn: calendarDate, court: nonEmptyText(120), caseNumber: nonEmptyText(60), accusedCount: accused }).strict(),
  startTrial: z.object({ actor, startedOn: calendarDate }).strict(),
  recordVerdict: z.object({ actor, accused, verdict: z.enum(VERDICTS), deliveredOn: calendarDate }).strict(),
  recordSentence: z.object({
    actor, accused, sentencedOn: calendarDate, sentence: z.enum(SENTENCES),
    termMonths: z.number().int('must be whole months').min(1, 'must be at least 1').max(1200, 'must be at most 1200').optional(),
  }).strict(),
  fileAppeal: z.object({ actor, filedOn: calendarDate, by: z.enum(['prosecution', 'defence']) }).strict(),
  decideAppeal: z.object({ actor, decidedOn: calendarDate, outcome: z.enum(APPEAL_OUTCOMES) }).strict(),
} as const;
export type ProsecutionCommandName = keyof typeof prosecutionCommands;
/** Taken by the track itself, never sent: the appeal period passed with no appeal. */
const LAPSE = 'appealPeriodLapsed';

export interface ProsecutionState extends TrackBase {
  track: 'prosecution';
  stage: ProsecutionStage;
  prosecutingBodyId: string;
  investigatingBodyId: string;
  /** When the file (last) reached the prosecutor. */
  receivedOn: CalendarDate;
  returns: { on: CalendarDate; reasons: string }[];
  decision: { on: CalendarDate; decision: (typeof CHARGING_DECISIONS)[number]; reasons: string | null } | null;
  charges: { filedOn: CalendarDate; court: string; caseNumber: string; accusedCount: number } | null;
  trialStartedOn: CalendarDate | null;
  verdicts: Record<string, { verdict: (typeof VERDICTS)[number]; on: CalendarDate }>;
  sentences: Record<string, { on: CalendarDate; sentence: (typeof SENTENCES)[number]; termMonths: number | null }>;
  concludedOn: CalendarDate | null;
  appeal: { filedOn: CalendarDate; by: 'prosecution' | 'defence'; decidedOn: CalendarDate | null; outcome: (typeof APPEAL_OUTCOMES)[number] | null } | null;
  finalOn: CalendarDate | null;
}

type F = Record<string, unknown>;
const str = (f: F, k: string) => f[k] as string;
const num = (f: F, k: string) => f[k] as number;
const convictedOf = (s: ProsecutionState) => Object.entries(s.verdicts).filter(([, v]) => v.verdict === 'convicted').map(([a]) => a);
const latest = (dates: CalendarDate[]) => (dates.length ? maxDate(...dates) : null);

/** After each verdict or sentence: still on trial, waiting for sentences, or concluded. */
function settle(s: ProsecutionState): ProsecutionState {
  const count = s.charges?.accusedCount ?? 0;
  if (Object.keys(s.verdicts).length < count) return s;
  const convicted = convictedOf(s);
  if (convicted.some((a) => !s.sentences[a])) return { ...s, stage: 'verdicts_given' };
  const concludedOn = latest([...Object.values(s.verdicts).map((v) => v.on), ...Object.values(s.sentences).map((x) => x.on)])!;
  return { ...s, stage: 'concluded', concludedOn };
}

export const prosecution: TrackDefinition<ProsecutionState> = {
  track: 'prosecution',
  commandSchemas: prosecutionCommands,
  eventOf: {
    decideCharge: 'charging_decided', resubmitFile: 'file_resubmitted', fileCharges: 'charges_filed', startTrial: 'trial_started',
    recordVerdict: 'verdict_recorded', recordSentence: 'sentence_recorded', fileAppeal: 'appeal_filed', decideAppeal: 'appeal_decided',
    [LAPSE]: 'appeal_period_lapsed',
  },
  initial: (start: TrackStart): ProsecutionState => ({
    incidentId: start.incidentId, track: 'prosecution', stage: 'file_received', occurredOn: start.occurredOn, log: {},
    prosecutingBodyId: start.prosecutingBodyId ?? 'odpp', investigatingBodyId: start.investigatingBodyId, receivedOn: start.openedOn,
    returns: [], decision: null, charges: null, trialStartedOn: null, verdicts: {}, sentences: {}, concludedOn: null, appeal: null, finalOn: null,
  }),
  key(s, command, f) {
    if (command === 'decideCharge') return `decideCharge:${s.returns.length}`;
    if (command === 'resubmitFile') return `resubmitFile:${s.returns.length}`;
    if (command === 'recordVerdict' || command === 'recordSentence') return `${command}:${num(f, 'accused')}`;
    return command;
  },
  done(command, f) {
    switch (command) {
      case 'decideCharge': return `the charging decision (${str(f, 'decision')}) was already recorded on ${str(f, 'decidedOn')}`;
      case 'resubmitFile': return `the file was already resubmitted on ${str(f, 'resubmittedOn')}`;
      case 'fileCharges': return `charges were already filed on ${str(f, 'filedOn')} (${str(f, 'court')}, ${str(f, 'caseNumber')})`;
      case 'startTrial': return `the trial already started on ${str(f, 'startedOn')}`;
      case 'recordVerdict': return `the verdict for accused ${num(f, 'accused')} (${str(f, 'verdict')}) was already recorded on ${str(f, 'deliveredOn')}`;
      case 'recordSentence': return `the sentence of accused ${num(f, 'accused')} was already recorded on ${str(f, 'sentencedOn')}`;
      case 'fileAppeal': return `an appeal was already filed on ${str(f, 'filedOn')}`;
      case 'decideAppeal': return `the appeal was already decided on ${str(f, 'decidedOn')}`;
      default: return 'the appeal period already lapsed';
    }
  },
  check(s, command, f, today) {
    const outOfOrder = (first: string) => refuse('conflict', `out of order: ${first} first`);
    const notNow = () => refuse('conflict', `the prosecution is ${s.stage.replace(/_/g, ' ')}; that step does not apply now`);
    const occurred: [CalendarDate, string] = [s.occurredOn, 'the incident'];
    switch (command as ProsecutionCommandName) {
      case 'decideCharge': {
        if (s.stage === 'returned_for_investigation') return outOfOrder('the file must come back from further investigation (resubmission)');
        if (s.stage !== 'file_received') return notNow();
        if (f.decision !== 'charge' && !f.reasons) return refuse('invalid', `reasons are required for a decision of ${str(f, 'decision').replace(/_/g, ' ')}`, 'reasons');
        return checkStepDate('decidedOn', str(f, 'decidedOn'), today, occurred, [s.receivedOn, 'the file reached the prosecutor']);
      }
      case 'resubmitFile':
        if (s.stage !== 'returned_for_investigation') return refuse('conflict', 'the file was not returned for further investigation');
        return checkStepDate('resubmittedOn', str(f, 'resubmittedOn'), today, occurred, [s.returns.at(-1)?.on, 'the file was returned']);
      case 'fileCharges':
        if (s.stage === 'file_received' || s.stage === 'returned_for_investigation') return outOfOrder('record a decision to charge');
        if (s.stage !== 'to_be_charged') return notNow();
        return checkStepDate('filedOn', str(f, 'filedOn'), today, occurred, [s.decision?.on, 'the decision to charge']);
      case 'startTrial':
        if (s.stage === 'file_received' || s.stage === 'returned_for_investigation' || s.stage === 'to_be_charged') return outOfOrder('file the charges');
        if (s.stage !== 'charged') return notNow();
        return checkStepDate('startedOn', str(f, 'startedOn'), today, occurred, [s.charges?.filedOn, 'the charges were filed']);
      case 'recordVerdict': {
        if (!s.charges) return outOfOrder('file the charges');
        if (s.stage !== 'charged' && s.stage !== 'on_trial' && s.stage !== 'verdicts_given') return notNow();
        if (num(f, 'accused') > s.charges.accusedCount) return refuse('invalid', `accused ${num(f, 'accused')} does not exist: the charges name ${s.charges.accusedCount} accused`, 'accused');
        if (f.verdict !== 'withdrawn' && !s.trialStartedOn) return outOfOrder('record the start of the trial (only a withdrawal comes before it)');
        return checkStepDate('deliveredOn', str(f, 'deliveredOn'), today, occurred, [s.trialStartedOn ?? s.charges.filedOn, s.trialStartedOn ? 'the trial started' : 'the charges were filed']);
      }
      case 'recordSentence': {
        const verdict = s.verdicts[String(num(f, 'accused'))];
        if (!verdict) return outOfOrder(`record the verdict for accused ${num(f, 'accused')}`);
        if (verdict.verdict !== 'convicted') return refuse('conflict', `accused ${num(f, 'accused')} was ${verdict.verdict}; only a convicted accused is sentenced`);
        return checkStepDate('sentencedOn', str(f, 'sentencedOn'), today, occurred, [verdict.on, 'the conviction']);
      }
      case 'fileAppeal':
        if (s.stage !== 'concluded') return s.stage === 'on_appeal' ? notNow() : outOfOrder('conclude the trial (every verdict and sentence)');
        return checkStepDate('filedOn', str(f, 'filedOn'), today, occurred, [s.concludedOn, 'the trial was concluded']);
      case 'decideAppeal':
        if (s.stage !== 'on_appeal') return outOfOrder('record the appeal being filed');
        return checkStepDate('decidedOn', str(f, 'decidedOn'), today, occurred, [s.appeal?.filedOn, 'the appeal was filed']);
      default:
        return s.stage === 'concluded' ? null : notNow();
    }
  },
  apply(s, command, f) {
    switch (command) {
      case 'decideCharge': {
        const decision = f.decision as (typeof CHARGING_DECISIONS)[number];
        const reasons = (f.reasons as string | undefined) ?? null;
        const on = str(f, 'decidedOn');
        if (decision === 'further_investigation') {
          return { ...s, stage: 'returned_for_investigation', decision: { on, decision, reasons }, returns: [...s.returns, { on, reasons: reasons ?? '' }] };
        }
        return { ...s, stage: decision === 'charge' ? 'to_be_charged' : 'not_charged', decision: { on, decision, reasons } };
      }
      case 'resubmitFile': return { ...s, stage: 'file_received', receivedOn: str(f, 'resubmittedOn'), decision: null };
      case 'fileCharges':
        return { ...s, stage: 'charged', charges: { filedOn: str(f, 'filedOn'), court: str(f, 'court'), caseNumber: str(f, 'caseNumber'), accusedCount: num(f, 'accusedCount') } };
      case 'startTrial': return { ...s, stage: 'on_trial', trialStartedOn: str(f, 'startedOn') };
      case 'recordVerdict':
        return settle({ ...s, stage: s.trialStartedOn ? 'on_trial' : s.stage, verdicts: { ...s.verdicts, [String(num(f, 'accused'))]: { verdict: f.verdict as (typeof VERDICTS)[number], on: str(f, 'deliveredOn') } } });
      case 'recordSentence':
        return settle({ ...s, sentences: { ...s.sentences, [String(num(f, 'accused'))]: { on: str(f, 'sentencedOn'), sentence: f.sentence as (typeof SENTENCES)[number], termMonths: (f.termMonths as number | undefined) ?? null } } });
      case 'fileAppeal': return { ...s, stage: 'on_appeal', appeal: { filedOn: str(f, 'filedOn'), by: f.by as 'prosecution' | 'defence', decidedOn: null, outcome: null } };
      case 'decideAppeal':
        return { ...s, stage: 'final', finalOn: str(f, 'decidedOn'), appeal: { ...s.appeal!, decidedOn: str(f, 'decidedOn'), outcome: f.outcome as (typeof APPEAL_OUTCOMES)[number] } };
      default: return { ...s, stage: 'final', finalOn: str(f, 'lapsedOn') };
    }
  },
  waiting(s) {
    switch (s.stage) {
      case 'file_received': return [{ kind: 'charging_decision', anchor: s.receivedOn }];
      case 'returned_for_investigation': return [{ kind: 'further_investigation', anchor: s.returns.at(-1)?.on ?? null }];
      case 'to_be_charged': return [{ kind: 'charges_filing', anchor: s.decision?.on ?? null }];
      case 'charged': return [{ kind: 'trial_start', anchor: s.charges?.filedOn ?? null }];
      case 'on_trial': return [{ kind: 'verdict', anchor: s.trialStartedOn }];
      case 'verdicts_given': return [{ kind: 'sentencing', anchor: latest(Object.values(s.verdicts).map((v) => v.on)) }];
      case 'on_appeal': return [{ kind: 'appeal_decision', anchor: s.appeal?.filedOn ?? null }];
      default: return [];
    }
  },
  isClosed: (s) => s.stage === 'not_charged' || s.stage === 'final',
  lapse(s) {
    if (s.stage !== 'concluded' || !s.concludedOn) return null;
    const after = addDays(s.concludedOn, APPEAL_PERIOD_DAYS);
    return { after, command: LAPSE, fields: { lapsedOn: addDays(after, 1) } };
  },
  facts(s) {
    // A defence appeal allowed quashes the convictions; a prosecution appeal allowed is not taken as a conviction.
    const quashed = s.appeal?.by === 'defence' && s.appeal.outcome === 'allowed';
    return {
      stage: s.stage, closed: s.stage === 'not_charged' || s.stage === 'final', chargedOn: s.charges?.filedOn ?? null,
      convicted: !quashed && convictedOf(s).length > 0,
    };
  },
};

/** Whether a lapse date has passed on `today` (the track takes the step the day after the period ends). */
export function lapseDue(after: CalendarDate, today: CalendarDate): boolean {
  return compareDates(today, after) > 0;
}
