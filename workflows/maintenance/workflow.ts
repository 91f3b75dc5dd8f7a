/** Started by the maintenance Schedule (worker/maintenance-schedule.ts): purges what has expired. */
import { proxyActivities } from '@temporalio/workflow';
import type { createMaintenanceActivities } from '../../activities/maintenance/purge';

const { purgeExpired } = proxyActivities<ReturnType<typeof createMaintenanceActivities>>({
  startToCloseTimeout: '5 minutes', retry: { initialInterval: '10 seconds', maximumAttempts: 5 },
});

export async function maintenanceWorkflow(): Promise<Awaited<ReturnType<typeof purgeExpired>>> {
  return purgeExpired();
}
