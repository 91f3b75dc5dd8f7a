import knex, { type Knex } from 'knex';

export type Db = Knex;

/**
 * A knex instance on PostgreSQL. BIGINT columns come back from pg as strings on purpose: they are money,
 * and every read parses them with centsFromDb, never through a float.
 */
export function createDb(connectionString: string, pool: { min?: number; max?: number } = {}): Db {
  return knex({
    client: 'pg',
    connection: connectionString,
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    migrations: { migrationSource: migrationSource() },
  });
}

/** Migrations are TypeScript modules listed here in order, so they run the same under tsx, jest and a build. */
export const MIGRATIONS = ['001_claim_record', '002_escalation', '003_referrals', '004_access', '005_releases', '006_credentials', '007_record_integrity', '008_incidents', '009_reports', '010_workbench', '011_incident_indicators'];

function migrationSource(): Knex.MigrationSource<string> {
  const names = MIGRATIONS;
  return {
    getMigrations: async () => names,
    getMigrationName: (name) => name,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    getMigration: async (name) => require(`./migrations/${name}`) as Knex.Migration,
  };
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}
