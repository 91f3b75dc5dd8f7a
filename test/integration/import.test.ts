/** Bulk import of legacy court orders, against real PostgreSQL and Temporal. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey, createUser } from '../../api/access/users';
import { importOrders, parseOrdersCsv } from '../../api/import/orders-csv';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { type Harness, countRows, createHarness, eventually, startApi } from '../support/harness';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  await h.escalation.setAdvocate({ id: 'adv-sample', name: 'Sample Advocate', email: 'sample@advocates.test' }, 'admin');
});
afterAll(async () => { await h?.close(); });

const HEADER = 'court,case_number,judgment_date,respondent_agency_id,survivor_ref,violation_types,advocate_id,general_damages_kes,costs_kes,certificate_issued_on,certificate_served_on';
const csv = [
  HEADER,
  'High Court at Nairobi,Petition 1 of 2014,2016-05-10,national-police-service,IMP-0001,torture,adv-wanjiru,700000,"150,110.00",2016-06-01,2016-06-03',
  'High Court at Nairobi,Petition 2 of 2014,2016-02-30,national-police-service,IMP-0002,torture,adv-wanjiru,500000,,,',
  'High Court at Eldoret,Petition 3 of 2015,2017-01-20,ministry-of-magic,IMP-0003,torture,adv-wanjiru,lots,,,',
  'High Court at Kisumu,Petition 4 of 2015,2017-08-01,kenya-prisons-service,IMP-0004,enforced_disappearance;torture,adv-otieno,2500000.5,,,',
  'HIGH COURT AT NAIROBI,Petition 1 of 2014,2016-05-10,national-police-service,IMP-0001,torture,adv-wanjiru,700000,,,',
  'High Court at Nakuru,Petition 6 of 2016,2018-01-01,kenya-defence-forces,Jane Wanjiku,torture,adv-wanjiru,100000,,,',
].join('\n');

it('when a file has good and bad rows, then bad rows are reported by line, column and rule and only good rows are imported', async () => {
  const progress: number[] = [];
  const summary = await importOrders(h.db, h.service, csv, 'importer', { concurrency: 3, onProgress: (done) => progress.push(done) });
  expect(summary).toMatchObject({ rowsRead: 6, imported: 2, alreadyRegistered: 0, rejected: 3, duplicatesInFile: 1 });
  expect(summary.problems).toEqual([
    { line: 3, column: 'judgment_date', rule: 'must be a calendar date YYYY-MM-DD' },
    { line: 4, column: 'general_damages_kes', rule: 'must be an amount in shillings, like 700000 or 150,110.50' },
    { line: 4, column: 'respondent_agency_id', rule: 'unknown agency ministry-of-magic' },
    { line: 7, column: 'survivor_ref', rule: 'must be a pseudonymous reference of 3-40 letters, digits or dashes' },
    { line: 6, column: 'case_number', rule: 'same court and case number as line 2; not imported twice' },
  ]);
  expect(progress).toEqual([1, 2]);
  const first = await h.db('claims').where({ case_number: 'Petition 1 of 2014' }).first();
  expect([first.stage, Number(first.awarded_cents)]).toEqual(['certificate_served', 85_011_000]);
  const fourth = await h.db('claims').where({ case_number: 'Petition 4 of 2015' }).first();
  expect(Number(fourth.awarded_cents)).toBe(250_000_050);
  expect(await countRows(h.db, 'claims', { respondent_agency_id: 'kenya-defence-forces' })).toBe(0);

  const again = await importOrders(h.db, h.service, csv, 'importer');
  expect(again).toMatchObject({ imported: 0, alreadyRegistered: 2, rejected: 3 });
  expect(await countRows(h.db, 'claims', { case_number: 'Petition 1 of 2014' })).toBe(1);
  expect(await countRows(h.db, 'claim_events', { claim_id: first.id, type: 'certificate_issued' })).toBe(1);
});

it('when the header has an unknown or missing column, then the whole file is refused before anything is read', async () => {
  const bad = await parseOrdersCsv(h.db, 'court,case_number,colour\nA,B,red\n');
  expect(bad.problems).toEqual([
    { line: 1, column: 'colour', rule: 'unknown column(s)' },
    ...['judgment_date', 'respondent_agency_id', 'survivor_ref', 'violation_types', 'advocate_id', 'general_damages_kes']
      .map((column) => ({ line: 1, column, rule: 'required column is missing' })),
  ]);
  expect(bad.rows).toEqual([]);
  const missing = await parseOrdersCsv(h.db, 'court,case_number\nA,B\n');
  expect(missing.problems.map((p) => p.column)).toEqual(['judgment_date', 'respondent_agency_id', 'survivor_ref', 'violation_types', 'advocate_id', 'general_damages_kes']);
});

it('when the shipped sample is imported through the API, then it answers 202 and the import workflow puts every row in; an advocate may not import', async () => {
  await createUser(h.db, { id: 'importer', name: 'Importer', role: 'administrator', password: 'a long enough password' });
  await createUser(h.db, { id: 'adv', name: 'Advocate', role: 'advocate', advocateId: 'adv-wanjiru', password: 'a long enough password' });
  const api = await startApi(h);
  try {
    const sample = readFileSync(join(__dirname, '../../docs/sample-orders.csv'), 'utf8');
    const key = await createApiKey(h.db, 'importer', 'import');
    const post = async (user: string) => fetch(`${api.base}/api/imports`, {
      method: 'POST', body: sample, headers: { 'content-type': 'text/csv', authorization: `Bearer ${user === 'importer' ? key : await createApiKey(h.db, user, 'import')}` },
    });
    const res = await post('importer');
    expect(res.status).toBe(202);
    const { id } = await res.json() as { id: string };
    expect(res.headers.get('location')).toBe(`/api/imports/${id}`);
    const done = await eventually(async () => (await fetch(`${api.base}/api/imports/${id}`, { headers: { authorization: `Bearer ${key}` } })).json(), (b) => (b as { workflowStatus: string }).workflowStatus === 'completed', 60_000);
    expect(done).toMatchObject({ rowsRead: 3, imported: 3, rejected: 0, problems: 0, problemList: [], workflowStatus: 'completed' });
    expect((await post('adv')).status).toBe(403);
  } finally {
    await api.close();
  }
});

it('when a 10,000-row file with bad rows scattered through it is imported, then each bad row is reported at its line and every good row is registered once', async () => {
  // Judged ten days ago, so no deadline has lapsed: this measures the import, not 10,000 first reminders (the
  // deadline storm benchmark and the escalation tests cover those).
  const judged = addDays(calendarDateAt(Date.now()), -10);
  const lines = [HEADER];
  for (let i = 0; i < 10_000; i++) {
    const bad = i % 997 === 0;
    lines.push(`High Court at Nairobi,Petition ${i} of 2010,${bad ? `${judged.slice(0, 4)}-13-01` : judged},national-police-service,BULK-${i},torture,adv-wanjiru,${100000 + i},,,`);
  }
  const badLines = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 997 === 0).map((i) => i + 2);
  let lastProgress = 0;
  const summary = await importOrders(h.db, h.service, lines.join('\n'), 'importer', { concurrency: 16, onProgress: (done) => { lastProgress = done; } });
  expect(summary).toMatchObject({ rowsRead: 10_000, imported: 10_000 - badLines.length, alreadyRegistered: 0, rejected: badLines.length });
  expect(summary.problems.map((p) => p.line)).toEqual(badLines);
  expect(summary.problems.every((p) => p.column === 'judgment_date' && p.rule === 'must be a calendar date YYYY-MM-DD')).toBe(true);
  expect(lastProgress).toBe(10_000 - badLines.length);
  const registered = await h.db('claims').where('case_number', 'like', 'Petition % of 2010').count({ n: '*' }).first();
  expect(Number(registered!.n)).toBe(10_000 - badLines.length);
  const events = await h.db('claim_events').join('claims', 'claims.id', 'claim_events.claim_id')
    .where('claims.case_number', 'like', 'Petition % of 2010').where({ type: 'claim_registered' }).count({ n: '*' }).first();
  expect(Number(events!.n)).toBe(10_000 - badLines.length);
  const awarded = await h.db('claims').where('case_number', 'like', 'Petition % of 2010').sum({ s: 'awarded_cents' }).first();
  const expected = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 997 !== 0).reduce((sum, i) => sum + (100_000 + i) * 100, 0);
  expect(Number(awarded!.s)).toBe(expected);
}, 900_000);

it('when an import stopped between registering an order and its certificate steps is run again, then the steps are completed once', async () => {
  const row = 'High Court at Mombasa,Petition 9 of 2013,2016-05-10,national-police-service,IMP-0009,torture,adv-wanjiru,300000,,2016-06-01,2016-06-03';
  const [parsed] = (await parseOrdersCsv(h.db, [HEADER, row].join('\n'))).rows;
  const { claimId } = await h.service.register(parsed!.order, 'importer'); // as far as the stopped run got
  const summary = await importOrders(h.db, h.service, [HEADER, row].join('\n'), 'importer');
  expect(summary).toMatchObject({ imported: 0, alreadyRegistered: 1, rejected: 0 });
  // (The orders are old: escalations and reminders are recorded between the steps too.)
  const steps = () => h.db('claim_events').where({ claim_id: claimId }).whereIn('type', ['claim_registered', 'certificate_issued', 'certificate_served'])
    .orderBy('sequence').pluck('type');
  expect(await steps()).toEqual(['claim_registered', 'certificate_issued', 'certificate_served']);
  await importOrders(h.db, h.service, [HEADER, row].join('\n'), 'importer');
  expect(await steps()).toEqual(['claim_registered', 'certificate_issued', 'certificate_served']);
});
