/**
 * What an incident's reminder says, fixed when it falls due. It names the incident by its id and the body that
 * owes the step, never a victim: not even the pseudonymous reference leaves Redress in a reminder.
 */
import type { CalendarDate } from '../calendar-date';
import type { DeadlineKind, Obligor } from '../escalation/policy';

export interface IncidentReminderContent {
  incidentId: string;
  /** The track whose step is owed, or 'incident' for a referral's deadline. */
  track: 'investigation' | 'prosecution' | 'inquest' | 'incident';
  investigatingBodyId: string;
  prosecutingBodyId: string | null;
  documentingOrganisationId: string | null;
  deadlineKey: string;
  kind: DeadlineKind;
  owedBy: Obligor;
  referral?: { referralId: string; providerId: string | null; service: string };
  level: number;
  occurrence: number;
  to: string[];
  cc: string[];
  /** The last day the step was due. */
  dueDate: CalendarDate;
  asOf: CalendarDate;
  daysOverdue: number;
  policyVersion: number;
}
