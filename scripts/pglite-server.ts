/**
 * `npm run pglite -- [DIR]`: the embedded PGlite database on its own, for `npm run worker` / `npm run api` or tests
 * in other processes. Prints `DATABASE_URL=…` once it accepts connections (one at a time: use a pool of one) and
 * runs until SIGINT or SIGTERM, closing the database cleanly so its folder (default .redress-data/pglite) reopens.
 */
import { join } from 'node:path';
import { dataDirOf, startPglite } from '../db/embedded';

async function main(): Promise<void> {
  const dir = process.argv[2] ?? join(dataDirOf(), 'pglite');
  const pglite = await startPglite(dir);
  console.log(`DATABASE_URL=${pglite.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    pglite.stop().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => { console.error(err); process.exit(1); });
