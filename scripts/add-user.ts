/**
 * `REDRESS_PASSWORD=… npm run user:add -- <id> <role> "<name>" [advocateId]`: creates a user (the first
 * administrator, typically). The password comes from the environment, or from standard input with
 * --password-stdin (for `kubectl exec -i` and `docker compose run -T`), so it stays out of shell history and argv.
 */
import { createUser } from '../api/access/users';
import { createDb } from '../db/connection';
import { loadDatabaseConfig } from '../worker/config';

async function main(): Promise<void> {
  const fromStdin = process.argv.includes('--password-stdin');
  const [id, role, name, advocateId] = process.argv.slice(2).filter((a) => a !== '--password-stdin');
  const password = fromStdin ? await readStdin() : process.env.REDRESS_PASSWORD;
  if (!id || !role || !name || !password) {
    console.error('usage: REDRESS_PASSWORD=… npm run user:add -- <id> <administrator|advocate|auditor> "<name>" [advocateId]\n' +
      '   or: printf %s "$PASSWORD" | npm run user:add -- --password-stdin <id> <role> "<name>" [advocateId]');
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

/** The whole of standard input, without a final newline (as `echo` would add). */
async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

main().catch((err) => { console.error(err.message ?? err); process.exit(1); });
