/** Bench workflows: Redress's own, plus the bare baselines they are measured against. */
import { condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import { readyUpdate } from './messages';

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

/** A second onboarding baseline with a registration's shape: started by update-with-start, answered, done. */
export async function emptyUpdateWorkflow(): Promise<void> {
  let answered = false;
  setHandler(readyUpdate, () => { answered = true; });
  await condition(() => answered);
}
