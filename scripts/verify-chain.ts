/**
 * `npm run verify-chain -- [--checkpoint FILE] [CLAIM_ID ...]`: verifies the hash chain of the named claims (or of
 * every claim) in DATABASE_URL, then checks them against a signed checkpoint: the one in FILE (as published with a
 * release), or else the latest in the database, whose signature and links to the ones before are checked too.
 * Prints one line per claim and per finding; exits 1 if any chain is broken, any checkpointed head is no longer in
 * the record, or a checkpoint does not verify with the public key (REDRESS_CHECKPOINT_PUBLIC_KEY).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyClaimChain } from '../db/chain';
import {
  type ChainHead, type SignedCheckpoint, compareWithCheckpoint, headsDigest, storedCheckpoints, storedHeads, verifyCheckpointSignature,
} from '../db/checkpoint';
import { checkpointPublicKeys } from '../db/checkpoint-keys';
import { type Db, createDb } from '../db/connection';
import { loadDatabaseConfig } from '../worker/config';

async function verifyChains(db: Db, ids: string[]): Promise<number> {
  let broken = 0;
  for (const id of ids) {
    const verdict = await verifyClaimChain(db, id);
    if (verdict.ok) {
      console.log(`${id}: intact, ${verdict.events} events, head ${verdict.headHash.slice(0, 16)}`);
    } else {
      broken++;
      console.log(`${id}: BROKEN at event ${verdict.firstBrokenSequence}: ${verdict.reason}`);
    }
  }
  console.log(`${ids.length} claim(s) verified, ${broken} broken`);
  return broken;
}

/** The checkpoint to check against, with its signature (and, for the database's, its predecessors') verified. */
async function checkpointToUse(db: Db, file: string | undefined): Promise<{ signed: SignedCheckpoint | null; problems: string[] }> {
  const keys = checkpointPublicKeys();
  const problems: string[] = [];
  if (file) {
    const signed = JSON.parse(readFileSync(file, 'utf8')) as SignedCheckpoint;
    const verdict = verifyCheckpointSignature(signed, keys);
    if (!verdict.ok) return { signed: null, problems: [`checkpoint in ${file} is REFUSED: ${verdict.reason}`] };
    return { signed, problems };
  }
  const stored = await storedCheckpoints(db);
  if (!stored.length) {
    console.log('no checkpoint yet: the chains were checked against themselves only');
    return { signed: null, problems };
  }
  let previous: string | null = null;
  for (const c of stored) {
    const verdict = verifyCheckpointSignature(c, keys);
    if (!verdict.ok) problems.push(`checkpoint ${c.number} is REFUSED: ${verdict.reason}`);
    else if (c.document.number !== c.number) problems.push(`checkpoint ${c.number} is stored under another number than it was signed with (${c.document.number})`);
    if (c.document.previousDigest !== previous) problems.push(`checkpoint ${c.number} does not follow the one stored before it: a checkpoint was removed or replaced`);
    previous = c.digest;
  }
  const latest = stored[stored.length - 1]!;
  return { signed: problems.length ? null : latest, problems };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { checkpoint: { type: 'string' } }, allowPositionals: true });
  const db = createDb(loadDatabaseConfig().DATABASE_URL, { max: 2 });
  try {
    const ids = positionals.length ? positionals : (await db('claims').orderBy('id').pluck('id')) as string[];
    const broken = await verifyChains(db, ids);

    const { signed, problems } = await checkpointToUse(db, values.checkpoint);
    for (const p of problems) console.log(p);
    if (!signed) return broken || problems.length ? 1 : 0;
    const { document } = signed;
    const heads = await storedHeads(db, document.number);
    if (heads === null || headsDigest(heads) !== document.headsDigest) {
      console.log(`checkpoint ${document.number}: its list of chain heads is ${heads === null ? 'missing from the database' : 'not the one signed'}: REFUSED`);
      return 1;
    }
    const wanted = positionals.length ? new Set(positionals) : null;
    const checked = (JSON.parse(heads) as ChainHead[]).filter(([id]) => !wanted || wanted.has(id));
    const findings = await compareWithCheckpoint(db, checked);
    for (const f of findings) {
      console.log(`${f.claimId}: ${f.problem === 'vanished' ? 'VANISHED' : 'REWRITTEN'} since checkpoint ${document.number}: ${f.reason}`);
    }
    console.log(`checkpoint ${document.number} of ${document.takenAt} (${(JSON.parse(heads) as ChainHead[]).length} chains, signed by ${signed.publicKeyId}): `
      + `${checked.length} checkpointed chain(s) compared, ${findings.length} no longer as checkpointed`);
    return broken || findings.length ? 1 : 0;
  } finally {
    await db.destroy();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
