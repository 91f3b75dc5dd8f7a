/**
 * Red team over real HTTP, PostgreSQL and Temporal: what an outsider learns from the public endpoints besides the
 * tables: the list of releases (its counts and its rhythm), the digests and the cache headers.
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
  return h.env.client.workflow.execute('releaseWorkflow', { taskQueue: h.taskQueue, workflowId: `redteam-schedule-${randomUUID()}`, args: [] });
}

const releasesListed = async () => (await get('/api/releases')).body.items as { number: number; claims: number; digest: string; asOf: string }[];

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
  it('when a single order has ever been registered, then no release counts it exactly: none is published, and none lists its number of orders', async () => {
    await register(1, { respondentAgencyId: 'kenya-defence-forces', judgmentDate: '2011-04-04', violationTypes: ['enforced_disappearance'] });
    const run = await scheduledRun();
    const found: string[] = [];
    if (run.outcome === 'published') {
      found.push(`release ${run.number} was published over ${run.claims} order(s) in all (the rule waits for six new orders only after a first release)`);
      const totals = (await get('/api/public/statistics')).body.totals;
      for (const r of await releasesListed()) {
        if (r.claims >= 1 && r.claims <= 5) found.push(`GET /api/releases lists release ${r.number} with "claims": ${r.claims}, while its totals say orders: ${JSON.stringify(totals.orders)}`);
      }
      const years = (await get('/api/public/data/by_year.json')).body.rows;
      const agencies = (await get('/api/public/data/by_agency.json')).body.rows;
      if (years.length === 1 && agencies.length === 1) found.push(`its only year row is ${years[0].year_of_judgment} and its only agency row ${agencies[0].agency_id}`);
    }
    expect(found).toEqual([]);
  });

  it('when the daily schedule runs after a quiet day and after a day with one new order, then whether a release appears does not tell the two apart', async () => {
    await register(6); // enough for a release whatever came before
    const first = await scheduledRun();
    expect(first.outcome).toBe('published');
    const quiet = await scheduledRun(); // nothing registered since: status changes alone are published
    const listedAfterQuiet = (await releasesListed()).length;
    await register(1);
    const oneNew = await scheduledRun();
    const listedAfterOne = (await releasesListed()).length;
    const found = quiet.outcome !== oneNew.outcome
      ? [`after a quiet day the schedule ${quiet.outcome === 'published' ? 'published' : 'skipped'} (GET /api/releases lists ${listedAfterQuiet}); `
        + `after a day with one new order it ${oneNew.outcome === 'published' ? 'published' : 'skipped'} (lists ${listedAfterOne}): `
        + 'a missing daily release tells everyone that 1-5 orders were registered that day']
      : [];
    expect(found).toEqual([]);
  });

  it('when an outsider recomputes the current release\'s digest from its public tables, then it matches: the digest and the ETags commit to nothing that is not published', async () => {
    const stats = await get('/api/public/statistics');
    const stamp = stats.body.release;
    const tables = Object.fromEntries(await Promise.all(TABLE_IDS.map(async (t) => [t, (await get(`/api/public/data/${t}.json`)).body.rows])));
    const checkpoint = (await get('/api/public/checkpoint.json')).status === 404 ? null : (await get('/api/public/checkpoint.json')).body.checkpoint;
    const digest = createHash('sha256').update(canonicalJson({ number: stamp.number, asOf: stamp.asOf, dataPackageVersion: DATA_PACKAGE_VERSION, tables, checkpoint })).digest('hex');
    expect(digest).toBe(stamp.digest);
    expect((await releasesListed()).find((r) => r.number === stamp.number)!.digest).toBe(digest);
    // Cache headers name the release and its digest, nothing else; the same release answers byte for byte the same.
    const again = await get('/api/public/statistics');
    expect(again.text).toBe(stats.text);
    expect(stats.headers.get('etag')).toBe(`"${digest.slice(0, 32)}-statistics"`);
    expect(stats.headers.get('x-redress-release')).toBe(String(stamp.number));
  });
});
