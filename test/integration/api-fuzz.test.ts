/**
 * schemathesis against the running API's /openapi.json: generated requests (valid and invalid) must never get a
 * 5xx, and every response must match the document. Bounded: a few examples per operation.
 */
import { spawn } from 'node:child_process';
import { createApiKey, createUser } from '../../api/access/users';
import { type Harness, createHarness, sampleOrder, startApi } from '../support/harness';

jest.setTimeout(600_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

it('when schemathesis exercises every operation, then there is no server error and no response outside the schema', async () => {
  await createUser(h.db, { id: 'fuzz-admin', name: 'Fuzzing administrator', role: 'administrator', password: 'a long enough password' });
  const key = await createApiKey(h.db, 'fuzz-admin', 'schemathesis');
  await h.service.register(sampleOrder(), 'fuzz-admin');
  const url = `${api.base}/openapi.json`;
  const args = [
    'run', url, '--checks', 'not_a_server_error,response_schema_conformance,content_type_conformance',
    '--max-examples', process.env.REDRESS_FUZZ_EXAMPLES ?? '8', '--header', `Authorization: Bearer ${key}`,
    '--request-timeout', '20', '--no-color', '--seed', '20261126', '--phases', 'examples,coverage,fuzzing',
  ];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.env.SCHEMATHESIS ?? 'schemathesis', args, { env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, output }));
  });
  if (code !== 0) console.log(output.slice(-12_000));
  const cases = /(\d+) generated, (\d+) passed/.exec(output);
  expect(cases).not.toBeNull();
  expect(Number(cases![1])).toBeGreaterThan(100);
  expect(cases![1]).toBe(cases![2]);
  // Every operation the document lists was tested.
  const doc = await (await fetch(url)).json() as { paths: Record<string, object> };
  const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  expect(operations).toBeGreaterThanOrEqual(54);
  expect(output).toMatch(new RegExp(`Tested: ${operations}\\b`));
  expect(code).toBe(0);
});
