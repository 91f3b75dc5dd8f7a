/** `npm run migrate`: brings the database at DATABASE_URL to the latest schema. */
import { loadDatabaseConfig } from '../worker/config';
import { createDb, migrateLatest } from './connection';

async function main(): Promise<void> {
  const db = createDb(loadDatabaseConfig().DATABASE_URL);
  try {
    const applied = await migrateLatest(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
