/**
 * The maintenance Schedule: a Temporal Schedule that starts maintenanceWorkflow (purge of expired Idempotency-Keys,
 * sessions and sign-in failure counts) at a fixed interval. Created by the worker at start; safe to call again and
 * from several processes: an existing Schedule is brought to the interval and task queue asked for.
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { maintenanceWorkflow } from '../workflows/maintenance/workflow';

export const MAINTENANCE_SCHEDULE_ID = 'redress-maintenance';

export interface MaintenanceScheduleOptions {
  /** Minutes between runs. Default 60. */
  everyMinutes?: number;
  /** Default redress-maintenance; tests give their own. */
  scheduleId?: string;
}

/** Creates the Schedule, or updates it to these options if it exists; returns its id. */
export async function ensureMaintenanceSchedule(client: Client, taskQueue: string, opts: MaintenanceScheduleOptions = {}): Promise<string> {
  const scheduleId = opts.scheduleId ?? MAINTENANCE_SCHEDULE_ID;
  const spec = { intervals: [{ every: `${opts.everyMinutes ?? 60} minutes` as const }] };
  const action = { type: 'startWorkflow' as const, workflowType: maintenanceWorkflow, workflowId: scheduleId, taskQueue, args: [] as [] };
  // A run that is late or still going is skipped, not piled up: the next one purges the same things.
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' } as const;
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec, action: { ...prev.action, taskQueue }, policies: { ...prev.policies, ...policies } }));
  }
  return scheduleId;
}
