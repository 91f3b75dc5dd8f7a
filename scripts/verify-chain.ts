/**
 * `npm run verify-chain -- [CLAIM_ID ...]`: verifies the hash chain of the named claims (or of every claim)
 * in DATABASE_URL, prints one line per claim and exits 1 if any chain is broken.
 */
import { verifyClaimChain } from '../db/chain';
import { createDb } from '../db/connection';
import { loadDatabaseConfig } from '../worker/config';

async function main(): Promise<number> {
  const db = createDb(loadDatabaseConfig().DATABASE_URL, { max: 2 });
  try {
    const ids = process.argv.slice(2).length ? process.argv.slice(2)
      : (await db('claims').orderBy('id').pluck('id')) as string[];
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
    return broken ? 1 : 0;
  } finally {
    await db.destroy();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
