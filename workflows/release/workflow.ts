/**
 * Publishes a release of the public figures: started by the daily Schedule and by administrators on demand.
 * All the work is one activity (one database snapshot); the workflow gives it durability and retries.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RedressActivities } from '../../activities';
import type { BuildReleaseInput, BuildReleaseResult } from './messages';

const { buildRelease } = proxyActivities<Pick<RedressActivities, 'buildRelease'>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '2 minutes', maximumAttempts: 20 },
});

export async function releaseWorkflow(input: Partial<BuildReleaseInput> = {}): Promise<BuildReleaseResult> {
  // A scheduled run carries no key of its own: each run's workflow id (the schedule's id and time) is unique.
  return buildRelease({ trigger: input.trigger ?? 'schedule', requestKey: input.requestKey ?? workflowInfo().workflowId, ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}) });
}
