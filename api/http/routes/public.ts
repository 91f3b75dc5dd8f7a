/**
 * Public figures, no sign-in, all from the latest published release (never live): statistics, the agencies'
 * league table, the open data tables as CSV and JSON, their Frictionless Data Package, and the release's signed
 * checkpoint of the claims' chains. Nothing here has one row per claim.
 */
import type { Response } from 'express';
import type { StoredRelease } from '../../../db/releases';
import { INCIDENTS, INCIDENT_TABLE_IDS, INDICATOR_COLUMNS, TABLE_IDS, columnsOf, dataPackage } from '../../../domain/release';
import { columnsOfTable } from '../../../domain/release/publish';
import { CURRENCY } from '../../../domain/money';
import { toCsv } from '../../csv';
import type { ReleaseService } from '../../release/service';
import { HttpProblem, sendProblem } from '../problem';
import { type RouteContext, defineRoute } from '../route';

export const PUBLIC_NOTICE = 'Counts are the court orders recorded in Redress, not every award ever made. Any count of 0 to 5 is shown as '
  + '"5 or fewer"; a figure that would let someone work out a hidden one is "hidden"; amounts are rounded to two significant figures '
  + '(at least to KSh 1 million) and withheld where 5 or fewer orders make them up or their count is not shown. New orders are '
  + 'counted six or more at a time. No survivor is named, and no row is about one order.';

export const ACCOUNTABILITY_NOTICE = 'Documented counts are the incidents reported to Redress by documenting organisations and '
  + 'others, not how many violations happened. Counts of 0 to 5 are "5 or fewer"; a figure that would let someone work out a '
  + 'hidden one is "hidden"; new incidents are counted six or more at a time. No victim, officer or case is named.';

const stamp = (r: StoredRelease) => ({ number: r.number, publishedAt: r.publishedAt, asOf: r.asOf, moneyAsOf: r.moneyAsOf, dataPackageVersion: r.dataPackageVersion, digest: r.digest });

export function publicRoutes(ctx: RouteContext, releases: ReleaseService) {
  const current = async () => {
    const release = await releases.latest();
    if (!release) throw new HttpProblem(404, 'Not Found', 'no release has been published yet; an administrator can publish one (POST /api/releases), or wait for the daily one');
    return release;
  };
  // A release never changes, so each answer is serialised once per release and may be cached by anyone.
  const bodies = new Map<string, string>();
  const send = (res: Response, release: StoredRelease, what: string, type: string, build: () => string) => {
    const key = `${release.number}/${what}`;
    let body = bodies.get(key);
    if (body === undefined) {
      body = build();
      if (bodies.size > 100) bodies.clear();
      bodies.set(key, body);
    }
    res.set({ 'X-Redress-Release': String(release.number), ETag: `"${release.digest.slice(0, 32)}-${what}"`, 'Cache-Control': 'public, max-age=300' })
      .type(type).send(body);
  };
  const json = (res: Response, release: StoredRelease, what: string, build: () => unknown) =>
    send(res, release, what, 'application/json', () => JSON.stringify(build()));

  defineRoute(ctx, { method: 'get', path: '/api/public/statistics', tag: 'public', public: true,
    summary: 'Orders, overdue, paid in full, amounts awarded, paid and outstanding: in total, by year of judgment, by violations and by stage (latest release)',
    handler: async (_req, res) => {
      const r = await current();
      json(res, r, 'statistics', () => ({
        release: stamp(r), currency: CURRENCY, notice: PUBLIC_NOTICE, totals: r.tables.totals[0] ?? null,
        byYearOfJudgment: r.tables.by_year, byViolations: r.tables.by_violations, byStage: r.tables.by_stage,
      }));
    } });
  defineRoute(ctx, { method: 'get', path: '/api/public/agencies', tag: 'public', public: true, summary: 'Compliance league table per respondent agency (latest release)',
    handler: async (_req, res) => {
      const r = await current();
      json(res, r, 'agencies', () => ({ release: stamp(r), currency: CURRENCY, notice: PUBLIC_NOTICE, items: r.tables.by_agency }));
    } });
  defineRoute(ctx, { method: 'get', path: '/api/public/datapackage.json', tag: 'public', public: true, summary: 'Frictionless Data Package describing the open data tables of the latest release',
    handler: async (_req, res) => {
      const r = await current();
      json(res, r, 'datapackage', () => dataPackage(stamp(r)));
    } });
  for (const table of TABLE_IDS) {
    defineRoute(ctx, { method: 'get', path: `/api/public/data/${table}.csv`, tag: 'public', public: true, summary: `Open data: ${table.replace(/_/g, ' ')} (CSV, latest release)`,
      success: { status: 200, description: 'CSV with a header row', contentType: 'text/csv' },
      handler: async (_req, res) => {
        const r = await current();
        send(res, r, `${table}.csv`, 'text/csv', () => toCsv(r.tables[table], columnsOf(table)));
      } });
    defineRoute(ctx, { method: 'get', path: `/api/public/data/${table}.json`, tag: 'public', public: true, summary: `Open data: ${table.replace(/_/g, ' ')} (JSON, latest release)`,
      handler: async (_req, res) => {
        const r = await current();
        json(res, r, `${table}.json`, () => ({ release: stamp(r), currency: CURRENCY, fields: columnsOf(table), rows: r.tables[table] }));
      } });
  }
  defineRoute(ctx, { method: 'get', path: '/api/public/indicators', tag: 'public', public: true,
    summary: 'Monitoring and evaluation indicators per quarter and financial year, with targets (latest release)',
    handler: async (_req, res) => {
      const r = await current();
      json(res, r, 'indicators', () => ({ release: stamp(r), notice: PUBLIC_NOTICE, definitionsVersion: r.extras.indicators?.definitionsVersion ?? null, items: r.extras.indicators?.rows ?? [] }));
    } });
  defineRoute(ctx, { method: 'get', path: '/api/public/data/indicators.csv', tag: 'public', public: true, summary: 'Open data: indicators (CSV, latest release)',
    success: { status: 200, description: 'CSV with a header row', contentType: 'text/csv' },
    handler: async (_req, res) => {
      const r = await current();
      send(res, r, 'indicators.csv', 'text/csv', () => toCsv((r.extras.indicators?.rows ?? []) as unknown as Record<string, unknown>[], INDICATOR_COLUMNS));
    } });
  defineRoute(ctx, { method: 'get', path: '/api/public/data/indicators.json', tag: 'public', public: true, summary: 'Open data: indicators (JSON, latest release)',
    handler: async (_req, res) => {
      const r = await current();
      json(res, r, 'indicators.json', () => ({ release: stamp(r), fields: INDICATOR_COLUMNS, rows: r.extras.indicators?.rows ?? [] }));
    } });
  defineRoute(ctx, { method: 'get', path: '/api/public/accountability', tag: 'public', public: true,
    summary: 'Accountability: incidents documented, investigated, charged and convicted, by year, acts, county, agency and responsible body (latest release)',
    handler: async (_req, res) => {
      const r = await current();
      json(res, r, 'accountability', () => ({ release: stamp(r), notice: ACCOUNTABILITY_NOTICE, tables: r.extras.accountability?.tables ?? null }));
    } });
  for (const table of INCIDENT_TABLE_IDS) {
    defineRoute(ctx, { method: 'get', path: `/api/public/data/accountability/${table}.csv`, tag: 'public', public: true, summary: `Open data: incidents ${table.replace(/_/g, ' ')} (CSV, latest release)`,
      success: { status: 200, description: 'CSV with a header row', contentType: 'text/csv' },
      handler: async (_req, res) => {
        const r = await current();
        send(res, r, `accountability-${table}.csv`, 'text/csv', () => toCsv(r.extras.accountability?.tables[table] ?? [], columnsOfTable(INCIDENTS, table)));
      } });
  }
  defineRoute(ctx, { method: 'get', path: '/api/public/checkpoint.json', tag: 'public', public: true, summary: "The latest release's signed checkpoint of every claim's chain head",
    handler: async (_req, res) => {
      const r = await current();
      if (!r.checkpoint) throw new HttpProblem(404, 'Not Found', `release ${r.number} carries no checkpoint`);
      json(res, r, 'checkpoint', () => ({ release: stamp(r), checkpoint: r.checkpoint }));
    } });
  defineRoute(ctx, { method: 'get', path: '/api/releases', tag: 'public', public: true, summary: 'Published releases: numbers, dates and digests',
    handler: async () => ({ items: await releases.list() }) });
  // The per-claim export is gone for good: one row per claim could be matched to a published judgment.
  for (const path of ['/api/public/claims.json', '/api/public/claims.csv']) {
    defineRoute(ctx, { method: 'get', path, tag: 'public', public: true, summary: 'Gone: replaced by the aggregate tables of /api/public/datapackage.json',
      success: { status: 410, description: 'Gone (problem+json pointing to the open data package)', contentType: 'application/problem+json' },
      handler: async (_req, res: Response) => {
        res.set('Link', '</api/public/datapackage.json>; rel="successor-version"');
        sendProblem(res, 410, 'Gone', 'per-claim rows are no longer published; the open data are aggregate tables described by /api/public/datapackage.json');
      } });
  }
}
