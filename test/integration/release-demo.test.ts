/**
 * The demo's fictional data (`npm run demo`, run for real against this harness's worker), published as a release
 * and attacked by `npm run audit-release`, as an administrator would check a release before trusting it.
 */
import { type Harness, TEST_PAYLOAD_KEYS, createHarness, publishRelease } from '../support/harness';
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
  const release = await publishRelease(h);
  expect(release).toMatchObject({ outcome: 'published', number: 1, claims: 40 });
  const audit = await runScript('scripts/audit-release.ts', [], { DATABASE_URL: h.dbUrl });
  expect(audit.stdout).toMatch(/release 1 .*40 claims.*: \d+ protected figures attacked in \d+ ms; 0 recovered; 0 rule\(s\) broken/);
  expect(audit.code).toBe(0);
  // The attack is real: each protected figure is listed with what the attacker can prove, and there are some.
  expect(audit.stdout.split('\n').filter((l) => l.startsWith('ok ')).length).toBeGreaterThan(5);
});
