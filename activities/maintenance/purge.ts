/**
 * Maintenance: deletes what has expired (Idempotency-Keys, sessions, stale sign-in failure counts), and sends the
 * advocates' weekly digests that are due (hourly, with the maintenance Schedule; no workflow of its own).
 */
import type { Transporter } from 'nodemailer';
import { type Purged, purgeExpired } from '../../db/credentials';
import type { Db } from '../../db/connection';
import { createNoticeActivities } from '../escalation/notices';

export function createMaintenanceActivities(deps: { db: Db; mailer?: Transporter; mailFrom?: string }) {
  return {
    /** Idempotent: deleting what has already gone deletes nothing; a digest is sent once (its notices are leased). */
    async purgeExpired(): Promise<Purged & { digestNotices?: number }> {
      const purged = await purgeExpired(deps.db);
      if (!deps.mailer) return purged;
      const { sent } = await createNoticeActivities({ db: deps.db, mailer: deps.mailer, mailFrom: deps.mailFrom ?? 'Redress <redress@localhost>' }).sendWeeklyDigests();
      return { ...purged, digestNotices: sent };
    },
  };
}
