/**
 * What an agency officer records through a reminder's link, with no account: that the reminder was received, and
 * perhaps a commitment (what will be done, by when, who is responsible). Both enter the claim's chain.
 */
import { z } from 'zod';
import { calendarDate, nonEmptyText } from '../validation';

export const acknowledgmentInputSchema = z.object({
  officerName: nonEmptyText(120),
  officerRole: z.string().trim().max(120, 'must be at most 120 characters').optional(),
  commitment: z.object({
    action: nonEmptyText(500),
    dueOn: calendarDate,
    responsible: nonEmptyText(120),
  }).strict().optional(),
}).strict();
export type AcknowledgmentInput = z.output<typeof acknowledgmentInputSchema>;

/** Acknowledgment rates per agency: of the reminders written to an agency, how many its officers acknowledged. */
export interface AgencyAcknowledgmentCounts {
  agencyId: string;
  reminders: number;
  acknowledged: number;
  commitments: number;
  /** Commitments whose date passed with the step still owed (each escalated). */
  commitmentsLapsed: number;
  /**
   * The same in orders: orders with a reminder to the State, and orders with at least one acknowledged. For a public
   * figure these are the units (a count of orders falls under the 0-5 rule; reminders of one order are not many orders).
   */
  ordersReminded: number;
  ordersAcknowledged: number;
}

export interface AgencyAcknowledgmentRate extends AgencyAcknowledgmentCounts {
  /** Acknowledged per hundred reminders, rounded down; null with no reminders. */
  ratePercent: number | null;
}

export function acknowledgmentRates(rows: AgencyAcknowledgmentCounts[]): AgencyAcknowledgmentRate[] {
  return rows.map((r) => ({ ...r, ratePercent: r.reminders === 0 ? null : Math.floor((100 * r.acknowledged) / r.reminders) }))
    .sort((a, b) => (a.ratePercent ?? -1) - (b.ratePercent ?? -1) || a.agencyId.localeCompare(b.agencyId));
}
