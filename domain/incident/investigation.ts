/**
 * The investigation track, held by one body (IPOA for police conduct, otherwise the DCI or an internal unit):
 * complaint lodged -> acknowledged -> investigation opened -> findings -> recommendation (prosecute, discipline, or
 * close with reasons) -> file forwarded to the prosecutor. Discipline and closure end the track; forwarding ends it
 * and opens the prosecution track.
 */
import { z } from 'zod';
import type { CalendarDate } from '../calendar-date';
import { calendarDate, nonEmptyText } from '../validation';
import { type TrackBase, type TrackDefinition, type TrackStart, checkStepDate, refuse } from './track';
import { ODPP } from './incident';

export const INVESTIGATION_STAGES = [
  'awaiting_complaint', 'complaint_lodged', 'acknowledged', 'opened', 'findings_made', 'recommended', 'forwarded', 'closed',
] as const;
export type InvestigationStage = (typeof INVESTIGATION_STAGES)[number];
export const FINDINGS = ['offence_disclosed', 'insufficient_evidence', 'no_offence_disclosed'] as const;
export const RECOMMENDATIONS = ['prosecute', 'discipline', 'close'] as const;

const actor = nonEmptyText(64);
const bodyReference = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/, "must be the body's own reference: 1-64 letters, digits or / _ . -");

export const investigationCommands = {
  lodgeComplaint: z.object({ actor, lodgedOn: calendarDate }).strict(),
  acknowledgeComplaint: z.object({ actor, acknowledgedOn: calendarDate, bodyReference }).strict(),
  openInvestigation: z.object({ actor, openedOn: calendarDate }).strict(),
  recordFindings: z.object({ actor, foundOn: calendarDate, conclusion: z.enum(FINDINGS) }).strict(),
  recommend: z.object({ actor, recommendedOn: calendarDate, recommendation: z.enum(RECOMMENDATIONS), reasons: nonEmptyText(1000).optional() }).strict(),
  forwardFile: z.object({ actor, forwardedOn: calendarDate }).strict(),
} as const;
export type InvestigationCommandName = keyof typeof investigationCommands;

export interface InvestigationState extends TrackBase {
  track: 'investigation';
  stage: InvestigationStage;
  bodyId: string;
  lodgedOn: CalendarDate | null;
  acknowledged: { on: CalendarDate; bodyReference: string } | null;
  openedOn: CalendarDate | null;
  findings: { on: CalendarDate; conclusion: (typeof FINDINGS)[number] } | null;
  recommendation: { on: CalendarDate; recommendation: (typeof RECOMMENDATIONS)[number]; reasons: string | null } | null;
  forwardedOn: CalendarDate | null;
}

type F = Record<string, unknown>;
const str = (f: F, k: string) => f[k] as string;

const ORDER: Record<InvestigationCommandName, { from: InvestigationStage; first: string }> = {
  lodgeComplaint: { from: 'awaiting_complaint', first: '' },
  acknowledgeComplaint: { from: 'complaint_lodged', first: 'record the complaint being lodged' },
  openInvestigation: { from: 'acknowledged', first: 'record the acknowledgment of the complaint' },
  recordFindings: { from: 'opened', first: 'record the opening of the investigation' },
  recommend: { from: 'findings_made', first: 'record the findings' },
  forwardFile: { from: 'recommended', first: 'record a recommendation to prosecute' },
};

export const investigation: TrackDefinition<InvestigationState> = {
  track: 'investigation',
  commandSchemas: investigationCommands,
  eventOf: {
    lodgeComplaint: 'complaint_lodged', acknowledgeComplaint: 'complaint_acknowledged', openInvestigation: 'investigation_opened',
    recordFindings: 'findings_recorded', recommend: 'recommendation_made', forwardFile: 'file_forwarded',
  },
  initial: (start: TrackStart): InvestigationState => ({
    incidentId: start.incidentId, track: 'investigation', stage: 'awaiting_complaint', occurredOn: start.occurredOn, log: {},
    bodyId: start.investigatingBodyId, lodgedOn: null, acknowledged: null, openedOn: null, findings: null, recommendation: null, forwardedOn: null,
  }),
  key: (_s, command) => command,
  done(command, f) {
    switch (command) {
      case 'lodgeComplaint': return `the complaint was already recorded as lodged on ${str(f, 'lodgedOn')}`;
      case 'acknowledgeComplaint': return `the complaint was already acknowledged on ${str(f, 'acknowledgedOn')}`;
      case 'openInvestigation': return `the investigation was already opened on ${str(f, 'openedOn')}`;
      case 'recordFindings': return `findings were already recorded on ${str(f, 'foundOn')}`;
      case 'recommend': return `a recommendation (${str(f, 'recommendation')}) was already made on ${str(f, 'recommendedOn')}`;
      default: return `the file was already forwarded on ${str(f, 'forwardedOn')}`;
    }
  },
  check(s, command, f, today) {
    const order = ORDER[command as InvestigationCommandName];
    if (s.stage !== order.from) {
      // Earlier than its turn: say what must come first. Later: the step was taken (the log answered), or passed by.
      const at = INVESTIGATION_STAGES.indexOf(s.stage);
      if (at < INVESTIGATION_STAGES.indexOf(order.from)) return refuse('conflict', `out of order: ${order.first} first`);
      if (command === 'forwardFile') return refuse('conflict', `the recommendation was to ${s.recommendation?.recommendation}; only a recommendation to prosecute sends the file to the prosecutor`);
      return refuse('conflict', `out of order: the investigation is past that step (${s.stage.replace(/_/g, ' ')})`);
    }
    const occurred: [CalendarDate, string] = [s.occurredOn, 'the incident'];
    switch (command as InvestigationCommandName) {
      case 'lodgeComplaint': return checkStepDate('lodgedOn', str(f, 'lodgedOn'), today, occurred);
      case 'acknowledgeComplaint': return checkStepDate('acknowledgedOn', str(f, 'acknowledgedOn'), today, occurred, [s.lodgedOn, 'the complaint was lodged']);
      case 'openInvestigation': return checkStepDate('openedOn', str(f, 'openedOn'), today, occurred, [s.acknowledged?.on, 'the complaint was acknowledged']);
      case 'recordFindings': return checkStepDate('foundOn', str(f, 'foundOn'), today, occurred, [s.openedOn, 'the investigation was opened']);
      case 'recommend': {
        if (f.recommendation !== 'prosecute' && !f.reasons) return refuse('invalid', `reasons are required for a recommendation to ${str(f, 'recommendation')}`, 'reasons');
        return checkStepDate('recommendedOn', str(f, 'recommendedOn'), today, occurred, [s.findings?.on, 'the findings were recorded']);
      }
      case 'forwardFile': return checkStepDate('forwardedOn', str(f, 'forwardedOn'), today, occurred, [s.recommendation?.on, 'the recommendation was made']);
    }
  },
  apply(s, command, f) {
    switch (command as InvestigationCommandName) {
      case 'lodgeComplaint': return { ...s, stage: 'complaint_lodged', lodgedOn: str(f, 'lodgedOn') };
      case 'acknowledgeComplaint': return { ...s, stage: 'acknowledged', acknowledged: { on: str(f, 'acknowledgedOn'), bodyReference: str(f, 'bodyReference') } };
      case 'openInvestigation': return { ...s, stage: 'opened', openedOn: str(f, 'openedOn') };
      case 'recordFindings': return { ...s, stage: 'findings_made', findings: { on: str(f, 'foundOn'), conclusion: f.conclusion as (typeof FINDINGS)[number] } };
      case 'recommend': {
        const recommendation = f.recommendation as (typeof RECOMMENDATIONS)[number];
        return {
          ...s, stage: recommendation === 'prosecute' ? 'recommended' : 'closed',
          recommendation: { on: str(f, 'recommendedOn'), recommendation, reasons: (f.reasons as string | undefined) ?? null },
        };
      }
      case 'forwardFile': return { ...s, stage: 'forwarded', forwardedOn: str(f, 'forwardedOn') };
    }
  },
  waiting(s) {
    switch (s.stage) {
      case 'complaint_lodged': return [{ kind: 'complaint_acknowledgement', anchor: s.lodgedOn }];
      case 'acknowledged': return [{ kind: 'investigation_opening', anchor: s.acknowledged?.on ?? null }];
      case 'opened': return [{ kind: 'investigation_findings', anchor: s.openedOn }];
      case 'findings_made': return [{ kind: 'investigation_recommendation', anchor: s.findings?.on ?? null }];
      case 'recommended': return [{ kind: 'file_forwarding', anchor: s.recommendation?.on ?? null }];
      default: return [];
    }
  },
  isClosed: (s) => s.stage === 'forwarded' || s.stage === 'closed',
  facts: (s) => ({
    stage: s.stage, closed: s.stage === 'forwarded' || s.stage === 'closed', investigationOpenedOn: s.openedOn, forwardedOn: s.forwardedOn,
    prosecutingBodyId: s.forwardedOn ? ODPP : null,
  }),
};
