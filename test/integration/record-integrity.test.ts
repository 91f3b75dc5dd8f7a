import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createUser } from '../../api/access/users';
import { APPEND_ONLY_TABLES } from '../../db/append-only';
import { GENESIS_HASH, canonicalJson, eventHash, verifyClaimChain } from '../../db/chain';
import { type SignedCheckpoint, createCheckpoint, signCheckpoint } from '../../db/checkpoint';
import { logPersonalDataRead } from '../../db/personal-data-reads';
import { type Harness, type RunningWorker, claimSteps, countRows, createHarness, eventually, publishRelease, sampleIncident, sampleOrder } from '../support/harness';
import { runScript } from '../support/processes';

jest.setTimeout(120_000);

let h: Harness;
let worker: RunningWorker;
beforeAll(async () => {
  h = await createHarness({ continueAsNewAfterEvents: 40 });
  worker = await h.startWorker();
});
afterAll(async () => { await h?.close(); });

const admin = 'admin-achieng';
/** The checkpoint signing key of this file's tests (the private key stays in the test, as it stays outside the database). */
const keys = generateKeyPairSync('ed25519');

async function claimWithTranches() {
  const { claimId } = await h.service.register(sampleOrder(), admin);
  await h.service.command(claimId, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
  await h.service.command(claimId, 'serveCertificate', { actor: admin, servedOn: '2017-03-24' });
  await h.service.command(claimId, 'allocateBudget', { actor: admin, amountCents: 50_000_000, budgetLine: 'R1021', financialYear: '2024/25', allocatedOn: '2024-07-10' });
  const paid = await h.service.command(claimId, 'recordTranche', { actor: admin, paymentReference: 'PV-1', amountCents: 10_000_000, paidOn: '2024-08-01' });
  await h.service.liveStatus(claimId);
  const events = await countRows(h.db, 'claim_events', { claim_id: claimId });
  return { claimId, trancheSequence: paid.sequence, events };
}

describe('the record is append-only and tamper-evident', () => {
  it('when anyone tries to update or delete an event or a ledger row, then PostgreSQL refuses', async () => {
    const { claimId, events } = await claimWithTranches();
    await expect(h.db('claim_events').where({ claim_id: claimId, sequence: 2 }).update({ actor: 'someone-else' }))
      .rejects.toThrow(/append-only/);
    await expect(h.db('claim_events').where({ claim_id: claimId }).delete()).rejects.toThrow(/append-only/);
    await expect(h.db('disbursements').where({ claim_id: claimId }).update({ amount_cents: 1 })).rejects.toThrow(/append-only/);
    await expect(h.db.raw('TRUNCATE disbursements CASCADE')).rejects.toThrow(/append-only/);
    // Nothing was removed (reminders may have been added meanwhile) and the chain is intact.
    const verdict = await verifyClaimChain(h.db, claimId);
    expect(verdict.ok).toBe(true);
    expect(verdict.events).toBeGreaterThanOrEqual(events);
  });

  it('when a stored event is altered behind the triggers, then verification names the first broken event', async () => {
    const { claimId, trancheSequence: n } = await claimWithTranches();
    await h.db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE claim_events DISABLE TRIGGER claim_events_append_only');
      await trx.raw(`UPDATE claim_events SET payload = jsonb_set(payload, '{amountCents}', '1000') WHERE claim_id = ? AND sequence = ?`, [claimId, n]);
      await trx.raw('ALTER TABLE claim_events ENABLE TRIGGER claim_events_append_only');
    });
    expect(await verifyClaimChain(h.db, claimId)).toMatchObject({
      ok: false, claimId, firstBrokenSequence: n, reason: `event ${n} was altered after it was recorded`,
    });
  });

  it('when an event in the middle is deleted behind the triggers, then verification names the gap', async () => {
    const { claimId } = await claimWithTranches();
    await h.db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE claim_events DISABLE TRIGGER claim_events_append_only');
      await trx('claim_events').where({ claim_id: claimId, sequence: 3 }).delete();
      await trx.raw('ALTER TABLE claim_events ENABLE TRIGGER claim_events_append_only');
    });
    expect(await verifyClaimChain(h.db, claimId)).toMatchObject({ ok: false, firstBrokenSequence: 3, reason: 'event 3 is missing' });
  });

  it('when the verify-chain command runs, then it reports each claim and exits non-zero on a broken chain', async () => {
    const { claimId: good, events } = await claimWithTranches();
    const url = h.dbUrl;
    const out = execFileSync('npx', ['tsx', resolve(__dirname, '../../scripts/verify-chain.ts'), good], {
      env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8',
    });
    expect(out).toMatch(new RegExp(`${good}: intact, \\d+ events`));
    expect(Number(/intact, (\d+) events/.exec(out)![1])).toBeGreaterThanOrEqual(events);
    const { claimId: bad } = await claimWithTranches();
    await h.db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE claim_events DISABLE TRIGGER claim_events_append_only');
      await trx.raw(`UPDATE claim_events SET actor = 'forged' WHERE claim_id = ? AND sequence = 2`, [bad]);
      await trx.raw('ALTER TABLE claim_events ENABLE TRIGGER claim_events_append_only');
    });
    let failed: { status: number; stdout: string } | null = null;
    try {
      execFileSync('npx', ['tsx', resolve(__dirname, '../../scripts/verify-chain.ts'), bad], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    } catch (err) {
      failed = err as { status: number; stdout: string };
    }
    expect(failed?.status).toBe(1);
    expect(failed?.stdout).toContain(`${bad}: BROKEN at event 2: event 2 was altered after it was recorded`);
  });
});

describe('continue-as-new', () => {
  it('when a claim\'s history grows long, then it continues as new carrying its state, and keeps recording in sequence', async () => {
    const { claimId } = await h.service.register(sampleOrder(), admin);
    const handle = h.env.client.workflow.getHandle(`claim-${claimId}`);
    const firstRunId = (await handle.describe()).runId;
    await h.service.command(claimId, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
    await h.service.command(claimId, 'serveCertificate', { actor: admin, servedOn: '2017-03-24' });
    // Stay and lift repeatedly: each pair adds two events and grows history past the 40-event threshold.
    for (let i = 0; i < 8; i++) {
      await h.service.command(claimId, 'grantStay', { actor: admin, grantedOn: '2018-01-01', reason: `appeal ${i}` });
      await h.service.command(claimId, 'liftStay', { actor: admin, liftedOn: '2018-02-01' });
    }
    const allocated = await h.service.command(claimId, 'allocateBudget', { actor: admin, amountCents: 1_000_000, budgetLine: 'R1021', financialYear: '2024/25', allocatedOn: '2024-07-10' });
    expect((await claimSteps(h.db, claimId)).length).toBe(20);
    expect(allocated.status.stage).toBe('budget_allocated');
    expect(allocated.status.certificate).toEqual({ issuedOn: '2017-03-22', servedOn: '2017-03-24' });
    // The run continues as new once what it started has finished (the advocate's notices are sent first).
    const latestRunId = await eventually(async () => (await handle.describe()).runId, (id) => id !== firstRunId);
    expect(latestRunId).not.toBe(firstRunId);
    const verdict = await verifyClaimChain(h.db, claimId);
    expect(verdict.ok).toBe(true);
    expect(verdict.events).toBeGreaterThanOrEqual(20);
  });
});

describe('append-only means append-only', () => {
  it('when anyone, a superuser included, updates, deletes or truncates any ledger or log, then PostgreSQL refuses and nothing changes', async () => {
    // At least one row in every table, so the row triggers are really tried.
    const { claimId } = await claimWithTranches();
    await eventually(() => countRows(h.db, 'reminder_deliveries', {}), (n) => n > 0, 60_000);
    await h.escalation.setContact({ agencyId: 'national-police-service', role: 'accounting_officer', name: 'AO', email: 'ao@police.test' }, admin);
    await h.referrals.registerProvider({ id: 'append-only-clinic', name: 'Clinic', services: ['medical'], county: 'Nairobi', email: 'c@clinic.test', capacity: 5 }, admin);
    await h.referrals.receiveFunds({ financialYear: '2024/25', amountCents: 1_000_000, reference: 'RCPT-APPEND-ONLY', receivedOn: '2024-07-01' }, admin);
    await createUser(h.db, { id: 'reader', name: 'Reader', role: 'auditor', password: 'a long enough password' });
    await logPersonalDataRead(h.db, { userId: 'reader', claimId, what: 'claim page' });
    await createCheckpoint(h.db, keys.privateKey);
    // Six incidents: a release admits new incidents six or more at a time (release_incident_members).
    for (let i = 0; i < 6; i++) {
      await h.incidents.register(sampleIncident({ occurredOn: '2026-01-10', sources: [{ kind: 'complaint', on: '2026-01-10' }], interventions: [] }), { id: admin, role: 'administrator', organisationId: null });
    }
    // The workbench's ledgers (issue 14): corrections through the claim, and the rest of its logs written as their code writes them.
    const allocation = (await h.db('budget_allocations').where({ claim_id: claimId }).first('event_sequence')).event_sequence;
    await h.service.command(claimId, 'amendOrder', { actor: admin, amendedOn: '2024-09-01', reason: 'varied on appeal',
      components: [{ label: 'General damages', amountCents: 80_000_000, rateBasisPoints: 1200, interestFrom: '2017-03-01' }] });
    await h.service.command(claimId, 'correctAllocation', { actor: admin, allocationSequence: allocation, correctedOn: '2024-09-02', reason: 'typing error',
      replacement: { amountCents: 60_000_000, budgetLine: 'R1021', financialYear: '2024/25', allocatedOn: '2024-07-10' } });
    const documentId = randomUUID();
    await h.service.command(claimId, 'recordDocument', { actor: admin, documentId, kind: 'decree', sha256: 'a'.repeat(64), sizeBytes: 4 });
    await h.db('claim_documents').insert({ id: documentId, claim_id: claimId, kind: 'decree', filename: 'd.pdf', content_type: 'application/pdf', size_bytes: 4,
      sha256: 'a'.repeat(64), storage: 'postgres', content: Buffer.from('%PDF'), uploaded_by: admin });
    await h.db('imports').insert({ id: randomUUID(), sha256: 'b'.repeat(64), csv: 'x', created_by: admin }).returning('id')
      .then(([row]) => h.db('import_rows').insert({ import_id: row.id, line: 2, outcome: 'rejected', problems: '[]' }));
    const reminder = await h.db('reminders').first('id', 'claim_id');
    await h.db('agency_acknowledgments').insert({ reminder_id: reminder.id, claim_id: reminder.claim_id, agency_id: 'national-police-service', officer_name: 'Officer' });
    await h.db('referrals').insert({ id: `${claimId}--r-append`, claim_id: claimId, workflow_id: 'referral-append', service: 'medical', beneficiary_kind: 'survivor', stage: 'funded', consented_on: '2024-07-01' });
    await h.db('provider_invoices').insert({ referral_id: `${claimId}--r-append`, provider_id: 'append-only-clinic', reference: 'INV-1', amount_cents: 100, invoiced_on: '2024-08-01', recorded_by: 'clinic' });

    // A release (and the checkpoint it carries, signed with the harness's own key, so checked apart from these).
    expect((await publishRelease(h)).outcome).toBe('published');
    expect((await h.db.raw('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0].rolsuper).toBe(true);

    for (const table of APPEND_ONLY_TABLES) {
      const before = await countRows(h.db, table, {});
      expect([table, before > 0]).toEqual([table, true]);
      const [column] = (await h.db('information_schema.columns').where({ table_name: table }).orderBy('ordinal_position').pluck('column_name')) as string[];
      await expect(h.db.raw(`UPDATE ${table} SET ${column} = ${column}`)).rejects.toThrow(`UPDATE on ${table}: this record is append-only`);
      await expect(h.db.raw(`DELETE FROM ${table}`)).rejects.toThrow(`DELETE on ${table}: this record is append-only`);
      await expect(h.db.raw(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(/TRUNCATE on \w+: this record is append-only/);
      // Nothing lost (a live claim may add a row meanwhile).
      expect([table, await countRows(h.db, table, {}) >= before]).toEqual([table, true]);
    }
    // Truncating what they hang from reaches them too.
    await expect(h.db.raw('TRUNCATE claims CASCADE')).rejects.toThrow(/append-only/);
    expect(await verifyClaimChain(h.db, claimId)).toMatchObject({ ok: true });
  });
});

describe('the chains are anchored outside the database by signed checkpoints', () => {
  const publicPem = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'redress-checkpoint-'));
  // Both keys that signed checkpoints here: this file's, and the harness workers' (releases carry checkpoints too).
  const verifyChain = (args: string[], publicKey = `${publicPem}\n${h.checkpointPublicKey}`) =>
    runScript('scripts/verify-chain.ts', args, { DATABASE_URL: h.dbUrl, REDRESS_CHECKPOINT_PUBLIC_KEY: publicKey, REDRESS_DATA_DIR: dir });

  /** A claim whose workflow has recorded everything it is going to for now. */
  async function settledClaim() {
    const { claimId } = await claimWithTranches();
    await eventually(() => h.service.liveStatus(claimId), (s) => s.recordedSequence === s.lastSequence, 30_000);
    return claimId;
  }

  /** As a superuser would: triggers off, one event's content changed, every hash after it recomputed, the claim row made to agree. */
  async function rewriteWholeChain(claimId: string) {
    await h.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica'); // no trigger fires in this transaction
      const events = await trx('claim_events').where({ claim_id: claimId }).orderBy('sequence');
      let prev = GENESIS_HASH;
      for (const e of events) {
        const payload = e.type === 'tranche_paid' ? { ...e.payload, amountCents: 1_000 } : e.payload;
        const hash = eventHash(prev, { claimId, sequence: e.sequence, type: e.type, actor: e.actor, occurredAt: new Date(e.occurred_at).toISOString(), payload });
        await trx('claim_events').where({ id: e.id }).update({ payload: JSON.stringify(payload), prev_hash: prev, hash });
        prev = hash;
      }
      await trx('disbursements').where({ claim_id: claimId, entry: 'tranche' }).update({ amount_cents: 1_000 });
      await trx('claims').where({ id: claimId }).update({ last_event_hash: prev, paid_cents: 1_000 });
    });
  }

  it('when a superuser rewrites a whole claim chain consistently, then the chain check passes, and verify-chain against the signed checkpoint names the claim', async () => {
    const good = await settledClaim();
    const bad = await settledClaim();
    await worker.stop(); // nothing is recording while the chain is rewritten
    try {
      const checkpoint = await createCheckpoint(h.db, keys.privateKey);
      const file = join(dir, `checkpoint-${checkpoint.number}.json`);
      const { number: _n, ...published } = checkpoint;
      writeFileSync(file, JSON.stringify(published));
      expect(JSON.stringify(published)).not.toContain(bad); // the published checkpoint names no claim
      const clean = await verifyChain(['--checkpoint', file, good, bad]);
      expect([clean.code, clean.stdout]).toEqual([0, expect.stringContaining(`checkpoint ${checkpoint.number} of`)]);

      await rewriteWholeChain(bad);
      expect(await verifyClaimChain(h.db, bad)).toMatchObject({ ok: true }); // the rewrite is consistent

      for (const args of [['--checkpoint', file, good, bad], [good, bad]]) {
        const run = await verifyChain(args);
        expect([args, run.code]).toEqual([args, 1]);
        expect(run.stdout).toContain(`${bad}: intact`);
        expect(run.stdout).toMatch(new RegExp(`${bad}: REWRITTEN since checkpoint ${checkpoint.number}: event \\d+ is not the one checkpointed`));
        expect(run.stdout).not.toContain(`${good}: REWRITTEN`);
        expect(run.stdout).toContain('2 checkpointed chain(s) compared, 1 no longer as checkpointed');
      }
    } finally {
      worker = await h.startWorker();
    }
  });

  it('when a checkpointed claim vanishes, then verify-chain reports it; events added after the checkpoint are fine', async () => {
    const kept = await settledClaim();
    const gone = await settledClaim();
    await worker.stop();
    let checkpoint: SignedCheckpoint & { number: number };
    try {
      checkpoint = await createCheckpoint(h.db, keys.privateKey);
      await h.db.transaction(async (trx) => {
        await trx.raw('SET LOCAL session_replication_role = replica');
        for (const table of ['reminder_deliveries', 'reminders', 'claim_deadlines', 'disbursements', 'budget_allocations', 'claim_components', 'claim_events']) {
          if (table === 'reminder_deliveries') await trx(table).whereIn('reminder_id', trx('reminders').where({ claim_id: gone }).select('id')).delete();
          else await trx(table).where({ claim_id: gone }).delete();
        }
        await trx('claims').where({ id: gone }).delete();
      });
    } finally {
      worker = await h.startWorker();
    }
    await h.service.command(kept, 'recordTranche', { actor: admin, paymentReference: 'PV-AFTER', amountCents: 1_000_000, paidOn: '2024-09-01' });
    await eventually(() => h.service.liveStatus(kept), (s) => s.recordedSequence === s.lastSequence, 30_000);

    const run = await verifyChain([kept, gone]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`${gone}: VANISHED since checkpoint ${checkpoint.number}: the claim is gone: it had \\d+ events`));
    expect(run.stdout).not.toContain(`${kept}: REWRITTEN`);
    const keptOnly = await verifyChain([kept]);
    expect([keptOnly.code, keptOnly.stdout]).toEqual([0, expect.stringContaining('1 checkpointed chain(s) compared, 0 no longer as checkpointed')]);
  });

  it('when a published checkpoint is tampered with, or checked with another key, then it is refused', async () => {
    const claimId = await settledClaim();
    // Made by `npm run checkpoint`, as an operator would between releases.
    const made = await runScript('scripts/checkpoint.ts', ['--out', join(dir, 'made.json')], {
      DATABASE_URL: h.dbUrl, REDRESS_DATA_DIR: dir, REDRESS_CHECKPOINT_KEY: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    });
    expect([made.code, made.stderr]).toEqual([0, expect.stringMatching(/^checkpoint \d+ of \S+: digest [0-9a-f]{64}, written to /)]);
    const published = JSON.parse(readFileSync(join(dir, 'made.json'), 'utf8')) as SignedCheckpoint;
    const write = (name: string, content: unknown) => { const f = join(dir, name); writeFileSync(f, JSON.stringify(content)); return f; };
    const sig = Buffer.from(published.signature, 'base64');
    sig[0] = sig[0]! ^ 1;
    const cases = {
      'forged-signature.json': { ...published, signature: sig.toString('base64') },
      'altered-document.json': { ...published, document: { ...published.document, takenAt: '2020-01-01T00:00:00.000Z' } },
      'altered-and-redigested.json': (() => {
        const document = { ...published.document, headsDigest: '0'.repeat(64) };
        return { ...published, document, digest: createHash('sha256').update(canonicalJson(document)).digest('hex') };
      })(),
    };
    for (const [name, content] of Object.entries(cases)) {
      const run = await verifyChain(['--checkpoint', write(name, content), claimId]);
      expect([name, run.code]).toEqual([name, 1]);
      expect(run.stdout).toContain('is REFUSED');
    }
    const otherKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const wrongKey = await verifyChain(['--checkpoint', write('genuine.json', published), claimId], otherKey);
    expect([wrongKey.code, wrongKey.stdout]).toEqual([1, expect.stringContaining('the signature does not verify')]);
    const genuine = await verifyChain(['--checkpoint', write('genuine.json', published), claimId]);
    expect(genuine.code).toBe(0);
  });

  it('when a stored checkpoint is replaced by a superuser, then verify-chain refuses the database\'s checkpoints', async () => {
    const claimId = await settledClaim();
    const latest = await createCheckpoint(h.db, keys.privateKey);
    const forger = generateKeyPairSync('ed25519');
    const forged = signCheckpoint({ ...latest.document, takenAt: '2020-01-01T00:00:00.000Z' }, forger.privateKey);
    await h.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx('chain_checkpoints').where({ number: latest.number }).update({
        document: JSON.stringify(forged.document), digest: forged.digest, signature: forged.signature, public_key_id: forged.publicKeyId,
      });
    });
    const run = await verifyChain([claimId]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`checkpoint ${latest.number} is REFUSED: the signature does not verify`);
  });
});
