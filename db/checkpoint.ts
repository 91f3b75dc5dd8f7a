/**
 * Signed checkpoints of every claim's chain, so the record is anchored outside the database. A checkpoint lists
 * each claim's head (claim id, last sequence, hash of that event), taken in one snapshot; the signed document
 * holds only a digest of that list (and counts, and the digest of the checkpoint before), so it can be published
 * beside each release without naming any claim. The list itself stays in chain_checkpoints (append-only).
 *
 * Anyone with the database can rewrite a claim's whole chain consistently (every hash recomputed); nobody without
 * the private key can sign a checkpoint that agrees with it. `npm run verify-chain` checks every claim against
 * the latest checkpoint (or a published one): each checkpointed event must still be there with the same hash.
 */
import { type KeyObject, createHash, sign, verify } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Knex } from 'knex';
import { canonicalJson } from './chain';
import { publicKeyId } from './checkpoint-keys';
import type { Db } from './connection';

export const CHECKPOINT_FORMAT = 'redress-chain-checkpoint/1';

/** What is signed and published: nothing in it concerns any one claim. */
export interface CheckpointDocument {
  format: typeof CHECKPOINT_FORMAT;
  number: number;
  /** When the snapshot was taken (the transaction's time). */
  takenAt: string;
  // No count of claims: a release publishes this document, and an exact count (which moves with every new
  // order, counted in the public figures or not) would say how many orders arrived between two releases.
  /** SHA-256 (hex) of the canonical list of heads. */
  headsDigest: string;
  /** The digest of the checkpoint before this one, so none can be dropped unseen. */
  previousDigest: string | null;
}

/** A claim's chain head: [claim id, last sequence, hash of that event]. */
export type ChainHead = [claimId: string, sequence: number, hash: string];

export interface BuiltCheckpoint {
  document: CheckpointDocument;
  /** The canonical JSON list of heads, ordered by claim id (bytewise): what headsDigest covers. */
  heads: string;
  /** How many chains it holds (kept in the database, not in the published document). */
  claims: number;
}

export interface SignedCheckpoint {
  document: CheckpointDocument;
  /** SHA-256 (hex) of the canonical JSON of the document. */
  digest: string;
  /** Ed25519 over the canonical JSON of the document, base64. */
  signature: string;
  publicKeyId: string;
}

export type StoredCheckpoint = SignedCheckpoint & { number: number };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Runs `fn` in the caller's transaction, or in a repeatable-read one of its own. */
function inSnapshot<T>(db: Db | Knex.Transaction, fn: (trx: Knex.Transaction) => Promise<T>, readOnly: boolean): Promise<T> {
  return (db as Knex.Transaction).isTransaction ? fn(db as Knex.Transaction) : db.transaction(fn, { isolationLevel: 'repeatable read', readOnly });
}

// Heads come from the events themselves (not from the claims' own record of them), one index probe per claim, and
// leave PostgreSQL as one text: no row per claim crosses into Node.
const HEADS_SQL = `SELECT count(*)::int AS claims, now() AS taken_at,
  coalesce(string_agg(format('[%s,%s,%s]', to_json(c.id), e.sequence, to_json(e.hash)), ',' ORDER BY c.id COLLATE "C"), '') AS heads
  FROM claims c CROSS JOIN LATERAL (SELECT sequence, hash FROM claim_events WHERE claim_id = c.id ORDER BY sequence DESC LIMIT 1) e
  WHERE NOT ?::boolean OR EXISTS (SELECT 1 FROM release_members m WHERE m.claim_id = c.id)`;

export interface CheckpointScope {
  /**
   * Only the claims a release counts: the checkpoint a release publishes must not change because an order it does
   * not yet count was registered (its digest would say on which day one was).
   */
  releasedOnly?: boolean;
}

/**
 * Every claim's chain head, in one repeatable-read snapshot (the caller's, when given a transaction: a release
 * built in the same transaction then describes exactly the record its checkpoint anchors).
 */
export async function buildCheckpoint(db: Db | Knex.Transaction, scope: CheckpointScope = {}): Promise<BuiltCheckpoint> {
  return inSnapshot(db, async (trx) => {
    const previous = await trx('chain_checkpoints').orderBy('number', 'desc').first('number', 'digest');
    const { rows } = await trx.raw(HEADS_SQL, [scope.releasedOnly ?? false]);
    const row = rows[0] as { claims: number; taken_at: Date; heads: string };
    const heads = `[${row.heads}]`;
    return {
      heads,
      document: {
        format: CHECKPOINT_FORMAT, number: (previous?.number ?? 0) + 1, takenAt: new Date(row.taken_at).toISOString(),
        headsDigest: sha256(heads), previousDigest: previous?.digest ?? null,
      },
      claims: row.claims,
    };
  }, true);
}

export function signCheckpoint(document: CheckpointDocument, privateKey: KeyObject): SignedCheckpoint {
  const text = canonicalJson(document);
  return { document, digest: sha256(text), signature: sign(null, Buffer.from(text), privateKey).toString('base64'), publicKeyId: publicKeyId(privateKey) };
}

export type SignatureVerdict = { ok: true; publicKeyId: string } | { ok: false; reason: string };

/** Whether the document is the one signed, by one of these keys (chosen by its id; any, if none matches by id). */
export function verifyCheckpointSignature(signed: SignedCheckpoint, publicKeys: KeyObject | KeyObject[]): SignatureVerdict {
  const keys = Array.isArray(publicKeys) ? publicKeys : [publicKeys];
  if (!keys.length) return { ok: false, reason: 'no public key to verify it with (set REDRESS_CHECKPOINT_PUBLIC_KEY)' };
  if (signed?.document?.format !== CHECKPOINT_FORMAT) return { ok: false, reason: `not a checkpoint of format ${CHECKPOINT_FORMAT}` };
  const text = canonicalJson(signed.document);
  if (sha256(text) !== signed.digest) return { ok: false, reason: 'its digest does not match its document' };
  const named = keys.filter((k) => publicKeyId(k) === signed.publicKeyId);
  for (const key of named.length ? named : keys) {
    let valid = false;
    try {
      valid = verify(null, Buffer.from(text), key, Buffer.from(String(signed.signature), 'base64'));
    } catch {
      valid = false;
    }
    if (valid) return { ok: true, publicKeyId: publicKeyId(key) };
  }
  return { ok: false, reason: `the signature does not verify with ${named.length ? 'the key it names' : 'any configured public key'} (${keys.map(publicKeyId).join(', ')})` };
}

/**
 * Builds, signs and stores a checkpoint; returns it as published. In its own repeatable-read transaction, or the
 * caller's (where a concurrent checkpoint can make the insert fail on its number: retry the transaction).
 */
export async function createCheckpoint(db: Db | Knex.Transaction, privateKey: KeyObject, scope: CheckpointScope = {}): Promise<StoredCheckpoint> {
  return inSnapshot(db, async (trx) => {
    // One at a time, so each number follows the last and names its digest. Taken before the snapshot's first read.
    await trx.raw('LOCK TABLE chain_checkpoints IN EXCLUSIVE MODE');
    const built = await buildCheckpoint(trx, scope);
    const { document, heads } = built;
    const signed = signCheckpoint(document, privateKey);
    await trx('chain_checkpoints').insert({
      number: document.number, taken_at: document.takenAt, claim_count: built.claims, heads_digest: document.headsDigest,
      previous_digest: document.previousDigest, digest: signed.digest, signature: signed.signature, public_key_id: signed.publicKeyId,
      document: JSON.stringify(document), heads: gzipSync(heads),
    });
    return { ...signed, number: document.number };
  }, false);
}

/** Stored checkpoints, oldest first, without their lists of heads. */
export async function storedCheckpoints(db: Db): Promise<StoredCheckpoint[]> {
  const rows = await db('chain_checkpoints').orderBy('number').select('number', 'document', 'digest', 'signature', 'public_key_id');
  return rows.map((r) => ({ number: r.number, document: r.document, digest: r.digest, signature: r.signature, publicKeyId: r.public_key_id }));
}

/** The stored list of heads of checkpoint `number`, as the canonical text its digest covers; null if absent. */
export async function storedHeads(db: Db, number: number): Promise<string | null> {
  const row = await db('chain_checkpoints').where({ number }).first('heads');
  return row ? gunzipSync(row.heads as Buffer).toString('utf8') : null;
}

export function headsDigest(heads: string): string {
  return sha256(heads);
}

export interface CheckpointFinding {
  claimId: string;
  /** The checkpointed sequence and head hash. */
  sequence: number;
  hash: string;
  problem: 'vanished' | 'missing' | 'rewritten';
  reason: string;
}

/**
 * Every checkpointed head that the record no longer holds: a claim gone, its checkpointed event gone, or that
 * event's hash changed (so some event up to it was rewritten). Compared in SQL, a few thousand heads a query.
 * Events after a checkpointed head are not judged here: the chain check proves they follow from it.
 */
export async function compareWithCheckpoint(db: Db, heads: ChainHead[], batch = 5_000): Promise<CheckpointFinding[]> {
  const findings: CheckpointFinding[] = [];
  for (let i = 0; i < heads.length; i += batch) {
    const part = heads.slice(i, i + batch);
    const { rows } = await db.raw(`SELECT h.claim_id, h.sequence, h.hash, e.hash AS now_hash,
        EXISTS (SELECT 1 FROM claims c WHERE c.id = h.claim_id) OR EXISTS (SELECT 1 FROM claim_events x WHERE x.claim_id = h.claim_id) AS present
      FROM unnest(?::text[], ?::int[], ?::text[]) AS h(claim_id, sequence, hash)
      LEFT JOIN claim_events e ON e.claim_id = h.claim_id AND e.sequence = h.sequence
      WHERE e.hash IS DISTINCT FROM h.hash`, [part.map((h) => h[0]), part.map((h) => h[1]), part.map((h) => h[2])]);
    for (const r of rows as { claim_id: string; sequence: number; hash: string; now_hash: string | null; present: boolean }[]) {
      const at = { claimId: r.claim_id, sequence: r.sequence, hash: r.hash };
      if (!r.present) findings.push({ ...at, problem: 'vanished', reason: `the claim is gone: it had ${r.sequence} events` });
      else if (r.now_hash === null) findings.push({ ...at, problem: 'missing', reason: `event ${r.sequence} is gone` });
      else findings.push({ ...at, problem: 'rewritten', reason: `event ${r.sequence} is not the one checkpointed (hash ${r.now_hash.slice(0, 16)}, checkpointed ${r.hash.slice(0, 16)}): the chain was rewritten up to it` });
    }
  }
  return findings;
}
