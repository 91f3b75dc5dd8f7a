/**
 * The demo's fictional data (`npm run demo`, run for real against this harness's worker), published as a release
 * and attacked by `npm run audit-release`, as an administrator would check a release before trusting it.
 */
import { releaseByNumber } from '../../db/releases';
import { INQUEST_STAGES, INVESTIGATION_STAGES, PROSECUTION_STAGES } from '../../domain/incident';
import { type Harness, TEST_PAYLOAD_KEYS, countRows, createHarness, publishRelease } from '../support/harness';
import { runScript } from '../support/processes';

jest.setTimeout(600_000);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
});
afterAll(async () => { await h?.close(); });

it('when the demo data are published, then the audit recovers no hidden figure and no published figure breaks the rule', async () => {
  const env = { DATABASE_URL: h.dbUrl, TEMPORAL_ADDRESS: h.env.address, TEMPORAL_TASK_QUEUE: h.taskQueue, REDRESS_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS };
  const demo = await runScript('scripts/demo.ts', [], env);
  expect(demo.stderr).toBe('');
  expect(demo.stdout).toMatch(/demo: 40 new fictional claims/);
  // Incidents at every stage of every track, a claim arising from one, and a referral from one with no court order.
  expect(demo.stdout).toMatch(/demo: 17 new fictional incidents/);
  const stages = async (column: string) => (await h.db('incidents').whereNotNull(column).distinct(column).pluck(column)).sort();
  expect(await stages('investigation_stage')).toEqual([...INVESTIGATION_STAGES].sort());
  expect(await stages('prosecution_stage')).toEqual([...PROSECUTION_STAGES].sort());
  expect(await stages('inquest_stage')).toEqual([...INQUEST_STAGES].sort());
  expect(await countRows(h.db, 'claims', {})).toBe(40);
  expect(Number((await h.db('claims').whereNotNull('incident_id').count({ n: '*' }).first())!.n)).toBe(1);
  expect(Number((await h.db('referrals').whereNull('claim_id').whereNotNull('incident_id').count({ n: '*' }).first())!.n)).toBe(1);
  const release = await publishRelease(h);
  expect(release).toMatchObject({ outcome: 'published', number: 1, claims: 40 });
  const audit = await runScript('scripts/audit-release.ts', [], { DATABASE_URL: h.dbUrl });
  expect(audit.stdout).toMatch(/release 1 .*40 claims.*: \d+ protected figures attacked in \d+ ms; 0 recovered; 0 rule\(s\) broken/);
  expect(audit.code).toBe(0);
  // The attack is real: each protected figure is listed with what the attacker can prove, and there are some.
  expect(audit.stdout.split('\n').filter((l) => l.startsWith('ok ')).length).toBeGreaterThan(5);
  // The 17 incidents are counted in the accountability section, and the audit attacked its protected figures too.
  const stored = await releaseByNumber(h.db, 1);
  expect(stored!.extras.accountability!.tables.totals![0]).toMatchObject({ documented: 17 });
  expect(audit.stdout.split('\n').filter((l) => /^ok +accountability\//.test(l)).length).toBeGreaterThan(0);
});
