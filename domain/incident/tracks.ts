/** The three tracks by name, and which track each command belongs to (command names are unique across tracks). */
import { type InquestState, inquest, inquestCommands } from './inquest';
import { type InvestigationState, investigation, investigationCommands } from './investigation';
import { type ProsecutionState, prosecution, prosecutionCommands } from './prosecution';
import type { TrackBase, TrackDefinition, TrackName } from './track';

export type TrackState = InvestigationState | ProsecutionState | InquestState;
export const TRACK_DEFINITIONS: { [T in TrackName]: TrackDefinition<TrackBase> } = {
  investigation: investigation as unknown as TrackDefinition<TrackBase>,
  prosecution: prosecution as unknown as TrackDefinition<TrackBase>,
  inquest: inquest as unknown as TrackDefinition<TrackBase>,
};

export const TRACK_COMMANDS = {
  investigation: Object.keys(investigationCommands) as (keyof typeof investigationCommands)[],
  prosecution: Object.keys(prosecutionCommands) as (keyof typeof prosecutionCommands)[],
  inquest: Object.keys(inquestCommands) as (keyof typeof inquestCommands)[],
} as const;
export type TrackCommandName = (typeof TRACK_COMMANDS)[TrackName][number];
export const ALL_TRACK_COMMANDS: TrackCommandName[] = [...TRACK_COMMANDS.investigation, ...TRACK_COMMANDS.prosecution, ...TRACK_COMMANDS.inquest];

export function trackOfCommand(name: string): TrackName | null {
  for (const track of ['investigation', 'prosecution', 'inquest'] as const) {
    if ((TRACK_COMMANDS[track] as readonly string[]).includes(name)) return track;
  }
  return null;
}

export function trackWorkflowId(incidentId: string, track: TrackName): string {
  return `incident-${incidentId}/${track}`;
}
