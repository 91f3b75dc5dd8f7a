/**
 * The figures operators watch (api/http/metrics.ts exports them as Prometheus gauges): aggregates only, no claim
 * id, no person. Each is one grouped query, cheap enough for a scrape every 30 s.
 */
import { CLOSED_STAGES } from '../domain/claim';
import { centsFromDb } from '../domain/money';
import type { Db } from './connection';

export interface OperationsSnapshot {
  claimsByStage: { stage: string; claims: number }[];
  /** Open claims with a lapsed (running) deadline, by the highest escalation level reached (-1: no reminder yet). */
  overdueByLevel: { level: number; claims: number }[];
  reminders: { pending: number; undeliverable: number };
  /** Per financial year: money received and not committed, and referrals waiting for it. */
  fund: { financialYear: string; uncommittedCents: number; waiting: number }[];
}

export async function operationsSnapshot(db: Db, now = new Date()): Promise<OperationsSnapshot> {
  const stages = await db('claims').groupBy('stage').select('stage', db.raw('count(*) AS n'));
  const overdue = await db('claims as c').whereNotIn('c.stage', [...CLOSED_STAGES])
    .whereExists(db('claim_deadlines as d').whereRaw('d.claim_id = c.id').where('d.paused', false).where('d.lapses_at', '<', now))
    .groupBy('c.escalation_level').select('c.escalation_level as level', db.raw('count(*) AS n'));
  const reminders = await db('reminders').whereIn('status', ['pending', 'undeliverable']).groupBy('status').select('status', db.raw('count(*) AS n'));
  const ledger: { financial_year: string; entry: string; total: string }[] = await db('fund_ledger').groupBy('financial_year', 'entry')
    .select('financial_year', 'entry', db.raw('sum(amount_cents) AS total'));
  const waiting: { financial_year: string; n: string }[] = await db('funding_queue').whereNull('admitted_at').whereNull('removed_at')
    .groupBy('financial_year').select('financial_year', db.raw('count(*) AS n'));
  const years = [...new Set([...ledger.map((l) => l.financial_year), ...waiting.map((w) => w.financial_year)])].sort();
  const sum = (fy: string, entry: string) => centsFromDb(ledger.find((l) => l.financial_year === fy && l.entry === entry)?.total ?? 0);
  const status = (s: string) => Number(reminders.find((r) => r.status === s)?.n ?? 0);
  return {
    claimsByStage: stages.map((r) => ({ stage: String(r.stage), claims: Number(r.n) })),
    overdueByLevel: overdue.map((r) => ({ level: Number(r.level), claims: Number(r.n) })),
    reminders: { pending: status('pending'), undeliverable: status('undeliverable') },
    fund: years.map((fy) => ({
      financialYear: fy,
      uncommittedCents: sum(fy, 'receipt') - sum(fy, 'commitment') + sum(fy, 'release'),
      waiting: Number(waiting.find((w) => w.financial_year === fy)?.n ?? 0),
    })),
  };
}
