/**
 * Workflows for delivery tests only: the real deliverReminder activity with an attempt timeout far shorter than a
 * slow mail server takes, so Temporal starts a retry while the first attempt is still sending; and two executions
 * of it at once for the same outbox row.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { DeliverReminderInput, createEscalationActivities } from '../../../activities/escalation/deliver';

const { deliverReminder } = proxyActivities<ReturnType<typeof createEscalationActivities>>({
  startToCloseTimeout: '2 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 1, maximumInterval: '500 milliseconds', maximumAttempts: 60 },
});

export async function deliverWithShortAttempts(input: DeliverReminderInput) {
  return deliverReminder(input);
}

export async function deliverTwiceAtOnce(input: DeliverReminderInput) {
  return Promise.all([deliverReminder(input), deliverReminder(input)]);
}
