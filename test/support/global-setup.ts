/**
 * Once per integration run: a PostgreSQL cluster (unless DATABASE_URL is given), a migrated template database
 * that each test file clones, a Temporal dev server, and the workflow bundle built once for every worker.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createDb, migrateLatest } from '../../db/connection';
import { startPostgresCluster } from '../../db/embedded';
import { devServerExecutable } from '../../scripts/temporal-binaries';
import { FAILURE_CONVERTER_PATH } from '../../worker/payload-codec';
import { registerSearchAttributes } from '../../worker/search-attributes';
import { quietLogger } from './quiet-logger';

export const TEMPLATE_DB = 'redress_test_template';

export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const cluster = startPostgresCluster();
    process.env.DATABASE_URL = cluster.url;
    process.env.REDRESS_PGDATA = cluster.dir;
    (globalThis as Record<string, unknown>).__redressPgData = process.env.REDRESS_PGDATA;
  }
  const admin = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.raw(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.destroy();
  }
  const templateUrl = new URL(process.env.DATABASE_URL!);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  const template = createDb(templateUrl.toString(), { max: 1 });
  try {
    await migrateLatest(template);
    // Fictional advocates every test may assign claims to.
    await template('advocates').insert([
      { id: 'adv-wanjiru', name: 'Wanjiru Test-Advocate', email: 'wanjiru@advocates.test' },
      { id: 'adv-otieno', name: 'Otieno Test-Advocate', email: 'otieno@advocates.test' },
    ]);
    // Tests of delivery want an overdue claim's reminder at once: their claims start on a policy without the
    // registration grace period (test/integration/claim-corrections.test.ts sets one of its own and tests it).
    const v1 = await template('deadline_policies').where({ version: 1 }).first('document');
    await template('deadline_policies').insert({
      version: 2, document: JSON.stringify({ ...v1.document, registrationGraceHours: 0 }), created_by: 'test-setup', note: 'tests: no registration grace',
    });
  } finally {
    await template.destroy();
  }

  if (!process.env.TEMPORAL_TEST_ADDRESS) {
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: devServerExecutable(), ip: '127.0.0.1', log: { format: 'pretty', level: 'error' } },
    });
    (globalThis as Record<string, unknown>).__redressTemporal = env;
    process.env.TEMPORAL_TEST_ADDRESS = env.address;
    await registerSearchAttributes(env.connection, 'default');
  }

  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietLogger });
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'redress-bundle-')), 'workflows.js');
  writeFileSync(bundlePath, code);
  process.env.REDRESS_WORKFLOW_BUNDLE = bundlePath;
}

