/**
 * Agencies' acknowledgment of reminders in the published league table, over real PostgreSQL and Temporal: each order
 * counts once, as reminded or acknowledged, read from the reminder outbox and the officers' acknowledgments; the
 * columns go through the same suppression as every other count, and the release keeps their true values only in
 * its private disclosure record.
 */
import { randomUUID } from 'node:crypto';
import { scanClaimFacts } from '../../db/releases';
import { SMALL_MARKER, cellId } from '../../domain/release';
import type { ClaimFact } from '../../domain/release/claims-schema';
import { type Harness, createHarness, publishRelease, sampleOrder } from '../support/harness';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => { h = await createHarness(); await h.startWorker(); });
afterAll(async () => { await h?.close(); });

/** A reminder row as the escalation activities write it (content trimmed to what the release reads). */
async function reminder(claimId: string, kind: string, owedBy: string, occurrence = 1) {
  const [row] = await h.db('reminders').insert({
    claim_id: claimId, deadline_key: `${kind}:test`, kind, level: 0, occurrence, event_sequence: 1,
    content: { owedBy, claimId, kind }, status: 'sent', sent_at: new Date(),
  }).returning('id');
  return row.id as number;
}

it('when officers acknowledged reminders of some orders, then the release counts each order once as reminded or acknowledged, and the league table publishes both columns under suppression', async () => {
  const agency = 'kenya-prisons-service';
  const ids: string[] = [];
  for (let i = 0; i < 8; i++) {
    ids.push((await h.service.register(sampleOrder({ respondentAgencyId: agency, survivorRef: `SURV-${randomUUID().slice(0, 8)}` }), 'test')).claimId);
  }
  // Order 0: two reminders, one acknowledged (counts once, as acknowledged). Order 1: acknowledged. Order 2: reminded only.
  // Order 3: only the advocate was reminded (not the State). Order 4: only a lapsed commitment of the agency's own.
  const first = await reminder(ids[0]!, 'budget_allocation', 'state');
  await reminder(ids[0]!, 'budget_allocation', 'state', 2);
  const second = await reminder(ids[1]!, 'payment', 'state');
  await reminder(ids[2]!, 'payment', 'state');
  await reminder(ids[3]!, 'certificate_application', 'advocate');
  await reminder(ids[4]!, 'agency_commitment', 'state');
  for (const [reminderId, claimId] of [[first, ids[0]!], [second, ids[1]!]] as const) {
    await h.db('agency_acknowledgments').insert({ reminder_id: reminderId, claim_id: claimId, agency_id: agency, officer_name: 'Officer (fictional)' });
  }

  const facts: ClaimFact[] = [];
  await scanClaimFacts(h.db, '2026-11-01', true, (batch) => { facts.push(...batch); });
  const states = facts.filter((f) => f.agencyId === agency).map((f) => f.acknowledgment).sort();
  expect(states).toEqual(['acknowledged', 'acknowledged', 'none', 'none', 'none', 'none', 'none', 'reminded']);

  expect((await publishRelease(h)).outcome).toBe('published');
  const release = await h.db('releases').orderBy('number', 'desc').first('tables', 'disclosure');
  const row = (release.tables.by_agency as Record<string, unknown>[]).find((r) => r.agency_id === agency)!;
  // 3 reminded and 2 acknowledged are small counts: published as "5 or fewer", their true values kept privately.
  expect([row.reminded, row.acknowledged]).toEqual([SMALL_MARKER, SMALL_MARKER]);
  expect([release.disclosure.values[cellId('by_agency', agency, 'reminded')], release.disclosure.values[cellId('by_agency', agency, 'acknowledged')]])
    .toEqual(['3', '2']);
});
