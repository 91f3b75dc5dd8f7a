/**
 * Imports as durable work: one workflow per file over real PostgreSQL and Temporal; progress as a Query, problems by
 * line (and as CSV, formulas neutralised), a worker stopped mid-import and another finishing it with every row once,
 * and `npm run import` following the workflow.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, createUser } from '../../api/access/users';
import { createImportService } from '../../api/import/service';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { type Harness, TEST_PAYLOAD_KEYS, countRows, createHarness, eventually, startApi } from '../support/harness';
import { apiCaller } from '../support/http';
import { runScript } from '../support/processes';

jest.setTimeout(300_000);

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(async () => { await h?.close(); });

const HEADER = 'court,case_number,judgment_date,respondent_agency_id,survivor_ref,violation_types,advocate_id,general_damages_kes,interest_rate_percent';
const judged = () => addDays(calendarDateAt(Date.now()), -10); // no deadline lapses: the import is measured, not reminders

it('when a file is posted, then it answers 202 at once; progress comes from the workflow; each problem is listed by line and downloadable as CSV', async () => {
  const worker = await h.startWorker();
  await createUser(h.db, { id: 'clerk', name: 'Clerk', role: 'administrator', password: 'a long enough password' });
  await createUser(h.db, { id: 'adv2', name: 'Advocate', role: 'advocate', advocateId: 'adv-wanjiru', password: 'a long enough password' });
  const api = await startApi(h);
  try {
    const call = apiCaller(api.base);
    const token = await createApiKey(h.db, 'clerk', 'imports');
    const csv = [
      HEADER,
      `High Court at Nairobi,Petition W1 of 2020,${judged()},national-police-service,WF-0001,torture,adv-wanjiru,"1,000,000.00",1.15`,
      `High Court at Nairobi,Petition W2 of 2020,${judged()},national-police-service,WF-0002,torture,adv-wanjiru,500000,1e1`,
      `High Court at Nairobi,Petition W3 of 2020,${judged()},"=HYPERLINK(""x"")",WF-0003,torture,adv-wanjiru,0x10,12`,
      `High Court at Nairobi,Petition W1 of 2020,${judged()},national-police-service,WF-0001,torture,adv-wanjiru,1000000,12`,
    ].join('\n');
    const res = await fetch(`${api.base}/api/imports`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` } });
    expect(res.status).toBe(202);
    const { id } = await res.json() as { id: string };
    const done = await eventually(() => call('GET', `/api/imports/${id}`, { token }), (a) => a.body.workflowStatus === 'completed', 60_000);
    expect(done.body).toMatchObject({ rowsRead: 4, toRegister: 1, imported: 1, rejected: 2, duplicatesInFile: 1, workflowStatus: 'completed', createdBy: 'clerk' });
    expect(done.body.problemList).toEqual([
      { line: 3, column: 'interest_rate_percent', rule: 'must be a percentage from 0 to 100 with at most two decimals, like 12 or 1.15 (no exponent or hexadecimal)' },
      { line: 4, column: 'general_damages_kes', rule: 'must be an amount in shillings, like 700000 or 150,110.50' },
      { line: 4, column: 'respondent_agency_id', rule: 'unknown agency =HYPERLINK("x")' },
      { line: 5, column: 'case_number', rule: 'same court and case number as line 2; not imported twice' },
    ]);
    const component = await h.db('claim_components').join('claims', 'claims.id', 'claim_components.claim_id').where('claims.case_number', 'Petition W1 of 2020').first('rate_basis_points', 'amount_cents');
    expect([component.rate_basis_points, Number(component.amount_cents)]).toEqual([115, 100_000_000]);

    const problems = await call('GET', `/api/imports/${id}/problems.csv`, { token });
    expect(problems.status).toBe(200);
    expect(problems.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(problems.text.split('\n')[0]).toBe('line,column,rule');
    expect(problems.text).toContain('4,respondent_agency_id,"unknown agency =HYPERLINK(""x"")"');
    expect(problems.text.split('\n').filter(Boolean)).toHaveLength(5);

    // Unknown ids, an advocate and a guessed id all learn nothing.
    const advocate = await createApiKey(h.db, 'adv2', 'x');
    expect((await call('GET', `/api/imports/${id}`, { token: advocate })).status).toBe(403);
    expect((await call('GET', '/api/imports/00000000-0000-0000-0000-000000000000', { token })).status).toBe(404);
    expect((await call('GET', '/api/imports/not-an-id', { token })).status).toBe(404);
    expect((await call('GET', '/api/imports/00000000-0000-0000-0000-000000000000/problems.csv', { token })).status).toBe(404);
  } finally {
    await api.close();
    await worker.stop();
  }
});

it('when the worker stops in the middle of an import and another starts, then the import resumes and every row is registered once', async () => {
  const lines = [HEADER];
  for (let i = 0; i < 300; i++) lines.push(`High Court at Kisumu,Petition R${i} of 2021,${judged()},national-police-service,RES-${i},torture,adv-wanjiru,${100000 + i},12`);
  const imports = createImportService({ client: h.env.client, db: h.db, taskQueue: h.taskQueue, batchSize: 25 });
  let worker = await h.startWorker();
  const { id } = await imports.start(lines.join('\n'), 'clerk');
  await eventually(() => countRows(h.db, 'import_rows', { import_id: id }), (n) => n >= 40, 120_000);
  await worker.stop();
  const midway = await countRows(h.db, 'import_rows', { import_id: id });
  expect(midway).toBeLessThan(300);
  worker = await h.startWorker();
  try {
    const status = await eventually(async () => (await imports.status(id))!, (s) => s.state === 'done', 180_000);
    expect(status).toMatchObject({ rowsRead: 300, toRegister: 300, registeredSoFar: 300, imported: 300, alreadyRegistered: 0, rejected: 0 });
    expect(await countRows(h.db, 'import_rows', { import_id: id })).toBe(300);
    const claims = await h.db('claims').where('case_number', 'like', 'Petition R% of 2021').count({ n: '*' }).first();
    expect(Number(claims!.n)).toBe(300);
    const registrations = await h.db('claim_events').join('claims', 'claims.id', 'claim_events.claim_id')
      .where('claims.case_number', 'like', 'Petition R% of 2021').where({ type: 'claim_registered' }).count({ n: '*' }).first();
    expect(Number(registrations!.n)).toBe(300);
  } finally {
    await worker.stop();
  }
});

it('when npm run import is given a file, then it follows the workflow to the end, prints each problem and exits 1 for a rejected row', async () => {
  const worker = await h.startWorker();
  try {
    const file = join(tmpdir(), `redress-import-${Date.now()}.csv`);
    writeFileSync(file, [HEADER,
      `High Court at Embu,Petition C1 of 2022,${judged()},national-police-service,CLI-0001,torture,adv-wanjiru,250000,14`,
      `High Court at Embu,Petition C2 of 2022,${judged()},national-police-service,CLI-0002,torture,adv-nobody,250000,14`].join('\n'));
    const run = await runScript('scripts/import-orders.ts', [file], {
      DATABASE_URL: h.dbUrl, TEMPORAL_ADDRESS: h.env.address, TEMPORAL_TASK_QUEUE: h.taskQueue, REDRESS_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('line 3, advocate_id: unknown advocate adv-nobody');
    expect(run.stdout).toMatch(/rows read 2; imported 1; already registered 0; rejected 1; duplicates in file 0/);
    expect(await countRows(h.db, 'claims', { case_number: 'Petition C1 of 2022' })).toBe(1);
  } finally {
    await worker.stop();
  }
});
