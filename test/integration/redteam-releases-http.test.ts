/**
 * Red team over real HTTP, PostgreSQL and Temporal: what an outsider learns from the public endpoints besides the
 * tables: the list of releases, the daily rhythm, the signed checkpoint published with each release, the digests,
 * the cache headers and the notice that tells readers how to read the figures.
 */
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../../db/chain';
import { DATA_PACKAGE_VERSION, TABLE_IDS } from '../../domain/release';
import type { BuildReleaseResult } from '../../workflows/release/messages';
import { type Harness, createHarness, sampleOrder, startApi } from '../support/harness';

jest.setTimeout(300_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;

async function get(path: string) {
  const res = await fetch(`${api.base}${path}`);
  const text = await res.text();
  return { status: res.status, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null, headers: res.headers };
}

async function register(n: number, overrides: Record<string, unknown> = {}) {
  for (let i = 0; i < n; i++) await h.service.register(sampleOrder({ survivorRef: `SURV-${randomUUID().slice(0, 8)}`, ...overrides }), 'test');
}

/** What the daily Schedule starts: the release workflow with no input (trigger "schedule"). */
async function scheduledRun(): Promise<BuildReleaseResult> {
  const result = await h.env.client.workflow.execute('releaseWorkflow', { taskQueue: h.taskQueue, workflowId: `redteam-schedule-${randomUUID()}`, args: [] });
  await new Promise((r) => setTimeout(r, 1_100)); // past the API's one-second look for a newer release
  return result as BuildReleaseResult;
}

const releasesListed = async () => (await get('/api/releases')).body.items as Record<string, unknown>[];
/** Everything public about the current release: its tables and its signed checkpoint. */
async function published() {
  const tables = Object.fromEntries(await Promise.all(TABLE_IDS.map(async (t) => [t, (await get(`/api/public/data/${t}.json`)).body.rows])));
  const checkpoint = await get('/api/public/checkpoint.json');
  return { tables, checkpoint: checkpoint.status === 200 ? checkpoint.body.checkpoint : null, release: (await get('/api/public/statistics')).body.release };
}

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

describe('red team: the release list and the HTTP layer', () => {
  it('when a single order has ever been registered, then no release is published and nothing public counts it', async () => {
    await register(1, { respondentAgencyId: 'kenya-defence-forces', judgmentDate: '2011-04-04', violationTypes: ['enforced_disappearance'] });
    const run = await scheduledRun();
    expect(run.outcome).toBe('skipped');
    expect(await releasesListed()).toEqual([]);
    expect((await get('/api/public/statistics')).status).toBe(404);
    expect((await get('/api/public/data/by_agency.json')).status).toBe(404);
  });

  it('when the daily schedule runs after a quiet day and after a day with one new order, then the public tables are the same and the release list counts no orders', async () => {
    await register(5); // six pending: the first release counts them all
    expect((await scheduledRun()).outcome).toBe('published');
    const quiet = await scheduledRun();
    const afterQuiet = await published();
    await register(1);
    const oneNew = await scheduledRun();
    const afterOne = await published();
    expect([quiet.outcome, oneNew.outcome]).toEqual(['published', 'published']);
    expect(afterOne.tables).toEqual(afterQuiet.tables); // the new order waits for five more
    for (const item of await releasesListed()) expect(Object.keys(item).sort()).toEqual(['asOf', 'digest', 'number', 'publishedAt', 'trigger']);
  });

  it('when the schedule runs after a quiet day and after a day with one new order, then the checkpoint published with each release does not tell the two days apart', async () => {
    // Releases 1-3 exist (above). One more quiet day, then a day on which one order is registered (and waits).
    const before = await published();
    await scheduledRun();
    const quiet = await published();
    await register(1);
    await scheduledRun();
    const oneNew = await published();
    expect(oneNew.tables).toEqual(quiet.tables);
    const heads = (p: typeof before) => (p.checkpoint as { document: { headsDigest: string } }).document.headsDigest;
    const found = heads(quiet) === heads(before) && heads(oneNew) !== heads(quiet)
      ? [`release ${quiet.release.number} (a quiet day) carries the heads digest of release ${before.release.number}; release ${oneNew.release.number} (one order registered, `
        + 'not counted) carries another, while its tables are the same: the checkpoint says on which day the record changed, though the figures wait for six']
      : [];
    expect(found).toEqual([]);
  });

  it('when an outsider recomputes the current release\'s digest from its public tables, then it matches: the digest and the ETags commit to nothing that is not published', async () => {
    const stats = await get('/api/public/statistics');
    const stamp = stats.body.release;
    const { tables, checkpoint } = await published();
    // The release's other public sections: the indicators, and the accountability tables once there are any.
    const indicators = (await get('/api/public/indicators')).body;
    const accountability = (await get('/api/public/accountability')).body.tables;
    const extras = { indicators: { definitionsVersion: indicators.definitionsVersion, rows: indicators.items }, ...(accountability ? { accountability: { tables: accountability } } : {}) };
    const digest = createHash('sha256').update(canonicalJson({
      number: stamp.number, asOf: stamp.asOf, moneyAsOf: stamp.moneyAsOf, dataPackageVersion: DATA_PACKAGE_VERSION, tables, checkpoint, extras,
    })).digest('hex');
    expect(digest).toBe(stamp.digest);
    expect((await releasesListed()).find((r) => r.number === stamp.number)!.digest).toBe(digest);
    // Cache headers name the release and its digest, nothing else; the same release answers byte for byte the same.
    const again = await get('/api/public/statistics');
    expect(again.text).toBe(stats.text);
    expect(stats.headers.get('etag')).toBe(`"${digest.slice(0, 32)}-statistics"`);
    expect(stats.headers.get('x-redress-release')).toBe(String(stamp.number));
  });

  it('when the public statistics are read, then their notice states the rules the figures follow (0 to 5, two significant figures), as the data package does', async () => {
    const { notice } = (await get('/api/public/statistics')).body as { notice: string };
    const pkg = (await get('/api/public/datapackage.json')).body as { description: string };
    expect(pkg.description).toMatch(/0 to 5/);
    expect(pkg.description).toMatch(/two significant figures/);
    // A reader (or an outsider's model) told "rounded to KSh 1,000" and "1 to 5" reads the figures wrongly.
    expect({ zeroToFive: /0 to 5/.test(notice), twoFigures: /two significant figures/.test(notice), oldRounding: /KSh 1,000\b/.test(notice) })
      .toEqual({ zeroToFive: true, twoFigures: true, oldRounding: false });
  });

  it('when an order whose judgment is dated in 2031 is sent, then registration refuses it by its field, and the year table gains no row past the year of the release', async () => {
    const current = (await get('/api/public/data/by_year.json')).body.rows.map((r: { year_of_judgment: string }) => r.year_of_judgment) as string[];
    await expect(register(1, { judgmentDate: '2031-02-03', components: [{ label: 'General damages', amountCents: 70_000_000, rateBasisPoints: 1200, interestFrom: '2031-02-03' }] }))
      .rejects.toMatchObject({ issues: [{ field: 'judgmentDate', rule: 'must not be after today' }] });
    await register(5); // six pending with the one still waiting from above
    expect((await scheduledRun()).outcome).toBe('published');
    const years = (await get('/api/public/data/by_year.json')).body.rows.map((r: { year_of_judgment: string }) => r.year_of_judgment) as string[];
    expect(years.filter((y) => !current.includes(y))).toEqual([]);
  });
});
