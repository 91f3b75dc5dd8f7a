/** Bench workflows: Redress's own, plus the bare baselines they are measured against. */
import { proxyActivities, sleep } from '@temporalio/workflow';

export * from '../workflows';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

/** The bare baseline for onboarding: a workflow that does nothing. */
export async function emptyWorkflow(): Promise<void> {
  // nothing: the cost of a start alone
}

/** The bare baseline for a deadline storm: one durable timer, then one no-op activity. */
export async function timerWorkflow(ms: number): Promise<void> {
  await sleep(ms);
  await noop();
}
