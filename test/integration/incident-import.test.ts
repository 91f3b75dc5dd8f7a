/** Import of a documenting organisation's incident records from CSV, against real PostgreSQL and Temporal. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, createUser } from '../../api/access/users';
import { importIncidents, parseIncidentsCsv } from '../../api/import/incidents-csv';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { type Harness, TEST_PAYLOAD_KEYS, countRows, createHarness, startApi } from '../support/harness';
import { runScript } from '../support/processes';

jest.setTimeout(180_000);

let h: Harness;
const admin = { id: 'importer', role: 'administrator', organisationId: null };
const clerk = { id: 'imlu-clerk', role: 'documenting_organisation', organisationId: 'imlu' };
const today = calendarDateAt(Date.now());
const day = addDays(today, -15);

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  await h.incidents.setOrganisation({ id: 'imlu', name: 'Medico-legal unit (fictional)', email: 'cases@imlu.test' }, 'setup');
  await h.incidents.setOrganisation({ id: 'watch', name: 'Prison watch (fictional)', email: 'desk@watch.test' }, 'setup');
});
afterAll(async () => { await h?.close(); });

const HEADER = 'reference,occurred_on,county,place_category,acts,victim_ref,claimant_ref,perpetrator_agency_id,unit_category,source_kind,source_on,interventions,complaint_lodged_on';
const csv = [
  HEADER,
  `IMLU/1,${day},nairobi,police_station,torture,V-0001,,national-police-service,regular_police,complaint,,complaint_to_oversight_body@${day},${today}`,
  `IMLU/2,${day},nairobi,police_station,torture;death_in_custody,V-0002,F-0002,national-police-service,regular_police,medico_legal_examination,${day},,`,
  `IMLU/3,${day},atlantis,police_station,torture,V-0003,,national-police-service,regular_police,complaint,,,`,
  `IMLU/4,${day},kisumu,prison,extra_judicial_killing,V-0004,,kenya-prisons-service,prison_officers,complaint,,,`,
  `IMLU/5,${day},kisumu,prison,beating,Jane Wanjiku,,ministry-of-magic,prison_officers,complaint,,,`,
  `imlu/1,${day},nairobi,police_station,torture,V-0001,,national-police-service,regular_police,complaint,,,`,
  `IMLU/7,${addDays(today, 5)},mombasa,public_place,arbitrary_arrest_or_detention,V-0007,,national-police-service,administration_police,complaint,,,`,
].join('\n');

it('when a file has good and bad rows, then each bad row is reported by line, column and rule, good rows are registered once, and a second run imports nothing twice', async () => {
  const progress: number[] = [];
  const summary = await importIncidents(h.incidents, csv, clerk, { concurrency: 3, onProgress: (done) => progress.push(done) });
  expect(summary).toMatchObject({ rowsRead: 7, imported: 2, alreadyRegistered: 0, rejected: 4, duplicatesInFile: 1 });
  expect(summary.problems).toEqual([
    { line: 4, column: 'county', rule: expect.stringContaining('Invalid enum value') },
    { line: 5, column: 'claimant_ref', rule: 'is required for extra judicial killing: the family acts for the victim' },
    { line: 6, column: 'acts', rule: expect.stringContaining('unknown act beating') },
    { line: 6, column: 'victim_ref', rule: 'must be a pseudonymous reference of 3-40 letters, digits or dashes' },
    { line: 6, column: 'perpetrator_agency_id', rule: 'unknown agency ministry-of-magic' },
    { line: 8, column: 'occurred_on', rule: `is in the future (today is ${today})` },
    { line: 8, column: 'source_on', rule: `is in the future (today is ${today})` },
    { line: 7, column: 'reference', rule: 'same organisation and reference as line 2; not imported twice' },
  ]);
  expect(progress).toEqual([1, 2]);
  const first = await h.db('incidents').where({ reference: 'IMLU/1' }).first();
  expect([first.documenting_organisation_id, first.investigating_body_id, first.investigation_stage, first.interventions]).toEqual(['imlu', 'ipoa', 'complaint_lodged', [{ kind: 'complaint_to_oversight_body', on: day }]]);
  const second = await h.db('incidents').where({ reference: 'IMLU/2' }).first();
  expect([second.deaths, second.inquest_stage]).toEqual([true, 'awaiting_notification']);

  const again = await importIncidents(h.incidents, csv, clerk);
  expect(again).toMatchObject({ imported: 0, alreadyRegistered: 2, rejected: 4 });
  expect(await countRows(h.db, 'incidents', { reference: 'IMLU/1' })).toBe(1);
  expect(await countRows(h.db, 'incident_events', { incident_id: first.id, type: 'complaint_lodged' })).toBe(1);
});

it('when the header has an unknown or missing column, then the whole file is refused before anything is read', async () => {
  const bad = await parseIncidentsCsv(h.incidents, 'reference,occurred_on,officer_name\nA,2026-01-01,Sgt X\n', admin);
  expect(bad.problems).toEqual([
    { line: 1, column: 'officer_name', rule: 'unknown column(s)' },
    ...['county', 'place_category', 'acts', 'victim_ref', 'perpetrator_agency_id', 'unit_category', 'source_kind'].map((column) => ({ line: 1, column, rule: 'required column is missing' })),
  ]);
  expect(bad.rows).toEqual([]);
});

it('when a documenting organisation imports over HTTP, then its rows are filed under its own name and another organisation named in a row is refused; an investigator may not import', async () => {
  await createUser(h.db, { id: 'imlu-clerk', name: 'Clerk', role: 'documenting_organisation', organisationId: 'imlu', password: 'a long enough password' });
  await createUser(h.db, { id: 'ipoa-officer', name: 'Officer', role: 'investigator', bodyId: 'ipoa', password: 'a long enough password' });
  const api = await startApi(h);
  try {
    const file = [
      `${HEADER},documenting_organisation_id`,
      `HTTP/1,${day},nakuru,public_place,torture,V-0101,,national-police-service,general_service_unit,complaint,,,,`,
      `HTTP/2,${day},nakuru,public_place,torture,V-0102,,national-police-service,general_service_unit,complaint,,,,watch`,
    ].join('\n');
    const post = async (user: string) => fetch(`${api.base}/api/incidents/imports`, {
      method: 'POST', body: file, headers: { 'content-type': 'text/csv', authorization: `Bearer ${await createApiKey(h.db, user, 'import')}` },
    });
    const res = await post('imlu-clerk');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 1, rejected: 1, problems: [{ line: 3, column: 'documenting_organisation_id', rule: 'must be your own organisation (imlu) or left out' }] });
    expect((await h.db('incidents').where({ reference: 'HTTP/1' }).first()).documenting_organisation_id).toBe('imlu');
    expect((await post('ipoa-officer')).status).toBe(403);
  } finally {
    await api.close();
  }
});

// 1,500 rows keep CI short; the rate over 5,000 (12 to 18 a second) is in docs/accountability.md.
const ROWS = 1_500;
it('when a generated file of 1,500 incidents with bad rows scattered through it is imported, then each bad row is reported at its line and every good row is registered once, with its tracks', async () => {
  const counties = ['nairobi', 'mombasa', 'kisumu', 'nakuru', 'garissa', 'turkana'];
  const lines = [HEADER];
  const bad = new Map<number, string>(); // row index -> the column at fault
  for (let i = 0; i < ROWS; i++) {
    let county = counties[i % counties.length]!;
    let victim = `BULK-${i}`;
    let unit = 'regular_police';
    if (i % 487 === 0) { county = 'westeros'; bad.set(i, 'county'); }
    else if (i % 613 === 5) { victim = 'Named Person'; bad.set(i, 'victim_ref'); }
    else if (i % 911 === 7) { unit = 'the sergeant'; bad.set(i, 'unit_category'); }
    const death = i % 50 === 0;
    lines.push([
      `BULK/${i}`, day, county, 'police_station', death ? 'death_in_custody' : 'torture', victim, death ? `FAM-${i}` : '', 'national-police-service', unit,
      'documenting_organisation', '', '', i % 10 === 0 ? today : '',
    ].join(','));
  }
  const badLines = [...bad.keys()].sort((a, b) => a - b).map((i) => i + 2);
  let lastProgress = 0;
  const started = Date.now();
  const summary = await importIncidents(h.incidents, lines.join('\n'), { id: 'importer', role: 'administrator', organisationId: null }, { concurrency: 16, onProgress: (done) => { lastProgress = done; } });
  const seconds = (Date.now() - started) / 1000;
  console.log(`imported ${summary.imported} incidents in ${seconds.toFixed(1)} s`);
  expect(summary).toMatchObject({ rowsRead: ROWS, imported: ROWS - bad.size, alreadyRegistered: 0, rejected: bad.size, duplicatesInFile: 0 });
  expect(summary.problems.map((p) => [p.line, p.column])).toEqual(badLines.map((line) => [line, bad.get(line - 2)]));
  expect(lastProgress).toBe(ROWS - bad.size);
  const registered = await h.db('incidents').where('reference', 'like', 'BULK/%').count({ n: '*' }).first();
  expect(Number(registered!.n)).toBe(ROWS - bad.size);
  const registrations = await h.db('incident_events').where({ type: 'incident_registered' }).whereIn('incident_id', h.db('incidents').where('reference', 'like', 'BULK/%').select('id')).count({ n: '*' }).first();
  expect(Number(registrations!.n)).toBe(ROWS - bad.size);
  const good = (pred: (i: number) => boolean) => Array.from({ length: ROWS }, (_, i) => i).filter((i) => !bad.has(i) && pred(i)).length;
  const tracks = await h.db('incident_tracks').join('incidents', 'incidents.id', 'incident_tracks.incident_id').where('incidents.reference', 'like', 'BULK/%')
    .groupBy('track').select('track', h.db.raw('count(*)::int AS n'));
  expect(Object.fromEntries(tracks.map((t) => [t.track, t.n]))).toEqual({ incident: ROWS - bad.size, investigation: ROWS - bad.size, inquest: good((i) => i % 50 === 0) });
  expect(await h.db('incidents').where('reference', 'like', 'BULK/%').where({ investigation_stage: 'complaint_lodged' }).count({ n: '*' }).first()).toEqual({ n: String(good((i) => i % 10 === 0)) });
}, 900_000);

it('when the import command runs as a process for an organisation, then it prints each problem, its progress and a summary, and exits 1 for a rejected row', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-incidents-'));
  const file = join(dir, 'incidents.csv');
  writeFileSync(file, [
    HEADER,
    `CLI/1,${day},nyeri,public_place,arbitrary_arrest_or_detention,V-0301,,national-police-service,administration_police,complaint,,,`,
    `CLI/2,${day},nyeri,public_place,torture,V 0302,,national-police-service,administration_police,complaint,,,`,
  ].join('\n'));
  const env = { DATABASE_URL: h.dbUrl, TEMPORAL_ADDRESS: h.env.address, TEMPORAL_TASK_QUEUE: h.taskQueue, REDRESS_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS };
  const run = await runScript('scripts/import-incidents.ts', [file, '--organisation', 'watch', '--concurrency', '2'], env);
  expect(run.stdout).toContain('line 3, victim_ref: must be a pseudonymous reference of 3-40 letters, digits or dashes');
  expect(run.stdout).toMatch(/\[#+\] 1\/1 100%/);
  expect(run.stdout).toMatch(/rows read 2; imported 1; already registered 0; rejected 1; duplicates in file 0/);
  expect(run.code).toBe(1);
  expect((await h.db('incidents').where({ reference: 'CLI/1' }).first()).documenting_organisation_id).toBe('watch');
});
