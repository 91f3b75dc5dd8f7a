/**
 * `npm run checkpoint -- [--out FILE]`: signs a checkpoint of every claim's chain head in DATABASE_URL with
 * REDRESS_CHECKPOINT_KEY (or npm start's local key), stores it, and writes the signed document (the part to
 * publish: it names no claim) to FILE or standard output. Releases do this themselves; this is for other times.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCheckpoint } from '../db/checkpoint';
import { checkpointSigningKey } from '../db/checkpoint-keys';
import { createDb } from '../db/connection';
import { loadDatabaseConfig } from '../worker/config';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const key = checkpointSigningKey();
  if (!key) throw new Error('no signing key: set REDRESS_CHECKPOINT_KEY (an Ed25519 private key, PEM or base64 PKCS#8)');
  const db = createDb(loadDatabaseConfig().DATABASE_URL, { max: 1 });
  try {
    const { number: _number, ...published } = await createCheckpoint(db, key);
    const json = `${JSON.stringify(published, null, 2)}\n`;
    if (values.out) {
      writeFileSync(values.out, json);
      console.error(`checkpoint ${published.document.number} of ${published.document.takenAt}: digest ${published.digest}, written to ${values.out}`);
    } else {
      process.stdout.write(json);
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
