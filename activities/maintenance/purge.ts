/** Maintenance: deletes what has expired (Idempotency-Keys, sessions, stale sign-in failure counts). */
import { type Purged, purgeExpired } from '../../db/credentials';
import type { Db } from '../../db/connection';

export function createMaintenanceActivities(deps: { db: Db }) {
  return {
    /** Idempotent: deleting what has already gone deletes nothing. */
    async purgeExpired(): Promise<Purged> {
      return purgeExpired(deps.db);
    },
  };
}
