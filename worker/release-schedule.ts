/**
 * The Temporal Schedule that publishes a release of the public figures (daily by default). Created when a worker
 * starts, and brought to the configured timetable if it already exists, so every worker agrees on one schedule.
 */
import { type Client, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { RELEASE_SCHEDULE_ID } from '../workflows/release/messages';

/** 00:30 UTC is 03:30 in Nairobi: after the day's work, before the next. */
export const DEFAULT_RELEASE_CRON = '30 0 * * *';

export async function ensureReleaseSchedule(client: Client, opts: { taskQueue: string; cron?: string; scheduleId?: string }): Promise<void> {
  const scheduleId = opts.scheduleId ?? RELEASE_SCHEDULE_ID;
  const spec = { cronExpressions: [opts.cron ?? DEFAULT_RELEASE_CRON] };
  const action = {
    type: 'startWorkflow' as const, workflowType: 'releaseWorkflow', taskQueue: opts.taskQueue,
    workflowId: `${scheduleId}-run`, args: [{ trigger: 'schedule' }],
  };
  const handle = client.schedule.getHandle(scheduleId);
  try {
    await handle.update((previous) => ({ ...previous, spec, action }));
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    try {
      await client.schedule.create({
        scheduleId, spec, action,
        // A missed day is published late rather than never; two builds never run at once.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      });
    } catch (raced) {
      // Another worker created it a moment ago: that is the same schedule.
      if ((raced as Error).name !== 'ScheduleAlreadyRunning') throw raced;
    }
  }
}
