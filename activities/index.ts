import type { Db } from '../db/connection';
import { type RecordFaults, createClaimActivities } from './claim/record';

export interface ActivityDeps {
  db: Db;
  faults?: RecordFaults;
}

/** Every activity of Redress, wired to its dependencies (activities-dependency-injection pattern). */
export function createActivities(deps: ActivityDeps) {
  return { ...createClaimActivities(deps) };
}
export type RedressActivities = ReturnType<typeof createActivities>;
