/**
 * The inquest track, opened for every death (extra-judicial killing, death in custody): the death notified ->
 * post-mortem examination -> inquest opened (court, inquest number) -> finding. The finding ends the track.
 */
import { z } from 'zod';
import type { CalendarDate } from '../calendar-date';
import { calendarDate, nonEmptyText } from '../validation';
import { type TrackBase, type TrackDefinition, type TrackStart, checkStepDate, refuse } from './track';

export const INQUEST_STAGES = ['awaiting_notification', 'notified', 'post_mortem_done', 'inquest_opened', 'finding_made'] as const;
export type InquestStage = (typeof INQUEST_STAGES)[number];
export const NOTIFIERS = ['police', 'prison_authorities', 'hospital', 'family', 'documenting_organisation', 'other'] as const;
export const PATHOLOGISTS = ['government', 'independent', 'joint'] as const;
export const INQUEST_FINDINGS = ['unlawful_killing', 'lawful_killing', 'accident', 'natural_causes', 'open_finding'] as const;

const actor = nonEmptyText(64);

export const inquestCommands = {
  notifyDeath: z.object({ actor, notifiedOn: calendarDate, notifiedBy: z.enum(NOTIFIERS) }).strict(),
  recordPostMortem: z.object({ actor, examinedOn: calendarDate, pathologist: z.enum(PATHOLOGISTS) }).strict(),
  openInquest: z.object({ actor, openedOn: calendarDate, court: nonEmptyText(120), inquestNumber: nonEmptyText(60) }).strict(),
  recordInquestFinding: z.object({ actor, foundOn: calendarDate, finding: z.enum(INQUEST_FINDINGS), recommendsProsecution: z.boolean() }).strict(),
} as const;
export type InquestCommandName = keyof typeof inquestCommands;

export interface InquestState extends TrackBase {
  track: 'inquest';
  stage: InquestStage;
  /** The day the track opened (the incident's registration): the death is due to be notified from here. */
  openedOn: CalendarDate;
  notified: { on: CalendarDate; by: (typeof NOTIFIERS)[number] } | null;
  postMortem: { on: CalendarDate; pathologist: (typeof PATHOLOGISTS)[number] } | null;
  inquest: { openedOn: CalendarDate; court: string; inquestNumber: string } | null;
  finding: { on: CalendarDate; finding: (typeof INQUEST_FINDINGS)[number]; recommendsProsecution: boolean } | null;
}

type F = Record<string, unknown>;
const str = (f: F, k: string) => f[k] as string;
const ORDER: Record<InquestCommandName, { from: InquestStage; first: string }> = {
  notifyDeath: { from: 'awaiting_notification', first: '' },
  recordPostMortem: { from: 'notified', first: 'record the notification of the death' },
  openInquest: { from: 'post_mortem_done', first: 'record the post-mortem examination' },
  recordInquestFinding: { from: 'inquest_opened', first: 'record the opening of the inquest' },
};

export const inquest: TrackDefinition<InquestState> = {
  track: 'inquest',
  commandSchemas: inquestCommands,
  eventOf: { notifyDeath: 'death_notified', recordPostMortem: 'post_mortem_recorded', openInquest: 'inquest_opened', recordInquestFinding: 'inquest_finding_recorded' },
  initial: (start: TrackStart): InquestState => ({
    incidentId: start.incidentId, track: 'inquest', stage: 'awaiting_notification', occurredOn: start.occurredOn, log: {},
    openedOn: start.openedOn, notified: null, postMortem: null, inquest: null, finding: null,
  }),
  key: (_s, command) => command,
  done(command, f) {
    switch (command) {
      case 'notifyDeath': return `the death was already recorded as notified on ${str(f, 'notifiedOn')}`;
      case 'recordPostMortem': return `the post-mortem was already recorded on ${str(f, 'examinedOn')}`;
      case 'openInquest': return `the inquest was already opened on ${str(f, 'openedOn')}`;
      default: return `the inquest finding was already recorded on ${str(f, 'foundOn')}`;
    }
  },
  check(s, command, f, today) {
    const order = ORDER[command as InquestCommandName];
    if (s.stage !== order.from) {
      if (INQUEST_STAGES.indexOf(s.stage) < INQUEST_STAGES.indexOf(order.from)) return refuse('conflict', `out of order: ${order.first} first`);
      return refuse('conflict', `out of order: the inquest is past that step (${s.stage.replace(/_/g, ' ')})`);
    }
    const occurred: [CalendarDate, string] = [s.occurredOn, 'the incident'];
    switch (command as InquestCommandName) {
      case 'notifyDeath': return checkStepDate('notifiedOn', str(f, 'notifiedOn'), today, occurred);
      case 'recordPostMortem': return checkStepDate('examinedOn', str(f, 'examinedOn'), today, occurred, [s.notified?.on, 'the death was notified']);
      case 'openInquest': return checkStepDate('openedOn', str(f, 'openedOn'), today, occurred, [s.postMortem?.on, 'the post-mortem']);
      case 'recordInquestFinding': return checkStepDate('foundOn', str(f, 'foundOn'), today, occurred, [s.inquest?.openedOn, 'the inquest was opened']);
    }
  },
  apply(s, command, f) {
    switch (command as InquestCommandName) {
      case 'notifyDeath': return { ...s, stage: 'notified', notified: { on: str(f, 'notifiedOn'), by: f.notifiedBy as (typeof NOTIFIERS)[number] } };
      case 'recordPostMortem': return { ...s, stage: 'post_mortem_done', postMortem: { on: str(f, 'examinedOn'), pathologist: f.pathologist as (typeof PATHOLOGISTS)[number] } };
      case 'openInquest': return { ...s, stage: 'inquest_opened', inquest: { openedOn: str(f, 'openedOn'), court: str(f, 'court'), inquestNumber: str(f, 'inquestNumber') } };
      case 'recordInquestFinding':
        return { ...s, stage: 'finding_made', finding: { on: str(f, 'foundOn'), finding: f.finding as (typeof INQUEST_FINDINGS)[number], recommendsProsecution: f.recommendsProsecution as boolean } };
    }
  },
  waiting(s) {
    switch (s.stage) {
      case 'awaiting_notification': return [{ kind: 'death_notification', anchor: s.openedOn }];
      case 'notified': return [{ kind: 'post_mortem', anchor: s.notified?.on ?? null }];
      case 'post_mortem_done': return [{ kind: 'inquest_opening', anchor: s.postMortem?.on ?? null }];
      case 'inquest_opened': return [{ kind: 'inquest_finding', anchor: s.inquest?.openedOn ?? null }];
      default: return [];
    }
  },
  isClosed: (s) => s.stage === 'finding_made',
  facts: (s) => ({ stage: s.stage, closed: s.stage === 'finding_made', inquestOpenedOn: s.inquest?.openedOn ?? null }),
};
