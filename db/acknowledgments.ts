/** Acknowledgments of reminders by agency officers, and the counts behind each agency's acknowledgment rate. */
import type { AgencyAcknowledgmentCounts } from '../domain/escalation/acknowledgment';
import type { Knex } from 'knex';
import type { Db } from './connection';

/**
 * Per respondent agency: reminders written to the State about its claims, how many its officers acknowledged, the
 * commitments made and those that lapsed (each escalated as an agency_commitment reminder).
 */
export async function acknowledgmentCounts(db: Db | Knex.Transaction): Promise<AgencyAcknowledgmentCounts[]> {
  const { rows } = await db.raw(`
    SELECT a.id AS agency_id,
      count(r.id) FILTER (WHERE r.content->>'owedBy' = 'state' AND r.kind <> 'agency_commitment')::int AS reminders,
      count(k.id)::int AS acknowledged,
      count(k.commitment_due_on)::int AS commitments,
      count(DISTINCT c.id) FILTER (WHERE r.content->>'owedBy' = 'state' AND r.kind <> 'agency_commitment')::int AS orders_reminded,
      count(DISTINCT k.claim_id)::int AS orders_acknowledged,
      (SELECT count(DISTINCT x.deadline_key)::int FROM reminders x JOIN claims cx ON cx.id = x.claim_id
        WHERE cx.respondent_agency_id = a.id AND x.kind = 'agency_commitment') AS commitments_lapsed
    FROM agencies a
    LEFT JOIN claims c ON c.respondent_agency_id = a.id
    LEFT JOIN reminders r ON r.claim_id = c.id
    LEFT JOIN agency_acknowledgments k ON k.reminder_id = r.id
    GROUP BY a.id ORDER BY a.id`);
  return rows.map((r: { agency_id: string; reminders: number; acknowledged: number; commitments: number; commitments_lapsed: number; orders_reminded: number; orders_acknowledged: number }) => ({
    agencyId: r.agency_id, reminders: r.reminders, acknowledged: r.acknowledged, commitments: r.commitments, commitmentsLapsed: r.commitments_lapsed,
    ordersReminded: r.orders_reminded, ordersAcknowledged: r.orders_acknowledged,
  }));
}
