/**
 * `REDRESS_PASSWORD=… npm run user:add -- <id> <role> "<name>" [advocateId]`: creates a user (the first
 * administrator, typically). The password comes from the environment so it stays out of shell history.
 */
import { createUser } from '../api/access/users';
import { createDb } from '../db/connection';
import { loadDatabaseConfig } from '../worker/config';

async function main(): Promise<void> {
  const [id, role, name, advocateId] = process.argv.slice(2);
  const password = process.env.REDRESS_PASSWORD;
  if (!id || !role || !name || !password) {
    console.error('usage: REDRESS_PASSWORD=… npm run user:add -- <id> <administrator|advocate|auditor> "<name>" [advocateId]');
    process.exit(2);
  }
  const db = createDb(loadDatabaseConfig().DATABASE_URL, { max: 1 });
  try {
    const user = await createUser(db, { id, role, name, password, ...(advocateId ? { advocateId } : {}) });
    console.log(`created ${user.role} ${user.id}`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => { console.error(err.message ?? err); process.exit(1); });
