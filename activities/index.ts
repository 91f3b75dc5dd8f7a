import type { Transporter } from 'nodemailer';
import type { Db } from '../db/connection';
import { type RecordFaults, createClaimActivities } from './claim/record';
import { type DeliveryFaults, type EscalationDeps, createEscalationActivities } from './escalation/deliver';
import { createIncidentActivities } from './incident/record';
import { createImportActivities } from './import/rows';
import { createNoticeActivities } from './escalation/notices';
import { createMaintenanceActivities } from './maintenance/purge';
import { createFundActivities } from './referral/fund';
import { createReferralProjectionActivities } from './referral/project';
import { type ReleaseDeps, createReleaseActivities } from './release/build';

export interface ActivityDeps {
  db: Db;
  mailer: Transporter;
  mailFrom: string;
  faults?: RecordFaults;
  deliveryFaults?: DeliveryFaults;
  checkpointKey?: ReleaseDeps['checkpointKey'];
  links?: EscalationDeps['links'];
}

/** Every activity of Redress, wired to its dependencies (activities-dependency-injection pattern). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createClaimActivities(deps), ...createEscalationActivities(deps),
    ...createFundActivities(deps), ...createReferralProjectionActivities(deps), ...createReleaseActivities(deps),
    ...createMaintenanceActivities(deps), ...createIncidentActivities(deps), ...createImportActivities(deps), ...createNoticeActivities(deps),
  };
}
export type RedressActivities = ReturnType<typeof createActivities>;
