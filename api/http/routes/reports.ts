/**
 * Reports for the State and for Parliament (administrators and auditors; advocates are refused): pending bills and
 * the monitoring and evaluation report, each as JSON, CSV or PDF (by Accept, or by the .csv / .pdf path); and the
 * versioned indicator definitions (a new version by administrators only).
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { indicatorDocumentSchema } from '../../../domain/report/indicator-definitions';
import { indicatorDefinitionVersions, latestIndicatorDefinitions, publishIndicatorDefinitions } from '../../../db/reports';
import { buildIndicatorReport, indicatorReportCsv, indicatorReportPdf, indicatorReportQuerySchema } from '../../report/indicators';
import { buildPendingBills, pendingBillsCsv, pendingBillsPdf, pendingBillsQuerySchema } from '../../report/pending-bills';
import { type RouteContext, defineRoute, negotiate } from '../route';

const READERS = ['administrator', 'auditor'] as const;
const TYPES = ['application/json', 'text/csv', 'application/pdf'];

/** Sends a report in the chosen type; a download keeps a file name that says what and when. */
async function send<R>(res: Response, type: string, report: R, name: string, as: { csv: (r: R) => string; pdf: (r: R) => Promise<Buffer> }): Promise<void> {
  res.set('Cache-Control', 'no-store'); // figures change with the record; nobody in between should keep them
  if (type === 'text/csv') {
    res.type('text/csv').attachment(`${name}.csv`).send(as.csv(report));
  } else if (type === 'application/pdf') {
    res.type('application/pdf').attachment(`${name}.pdf`).send(await as.pdf(report));
  } else {
    res.json(report);
  }
}

/** One report at three paths: negotiated at the bare path, fixed by the extension. */
function threeWays<Q extends z.ZodTypeAny, R>(ctx: RouteContext, def: {
  path: string; summary: string; query: Q; build: (req: Request & { valid: { query: z.output<Q> } }) => Promise<R>; name: (r: R) => string;
  csv: (r: R) => string; pdf: (r: R, q: z.output<Q>) => Promise<Buffer>;
}) {
  const variants = [
    { path: def.path, types: TYPES, summary: `${def.summary} (JSON, CSV or PDF by Accept)` },
    { path: `${def.path}.csv`, types: ['text/csv'], summary: `${def.summary} (CSV)` },
    { path: `${def.path}.pdf`, types: ['application/pdf'], summary: `${def.summary} (PDF)` },
  ];
  for (const v of variants) {
    defineRoute(ctx, {
      method: 'get', path: v.path, tag: 'reports', roles: [...READERS], query: def.query, summary: v.summary,
      success: { status: 200, description: v.types.length > 1 ? 'the report, in the type the Accept header asks for' : `the report as ${v.types[0]}`, contentTypes: v.types },
      handler: async (req, res) => {
        const type = v.types.length > 1 ? negotiate(req, v.types) : v.types[0]!;
        const report = await def.build(req as never);
        await send(res, type, report, def.name(report), { csv: def.csv, pdf: (r) => def.pdf(r, (req as unknown as { valid: { query: z.output<Q> } }).valid.query) });
      },
    });
  }
}

export function reportingRoutes(ctx: RouteContext) {
  threeWays(ctx, {
    path: '/api/reports/pending-bills', query: pendingBillsQuerySchema,
    summary: 'Pending bills: certified orders not paid in full, per agency, oldest first, interest to the report date; allocationCents shows what an amount would clear',
    build: (req) => buildPendingBills(ctx.db, req.valid.query),
    name: (r) => `pending-bills-${r.agencyFilter ?? 'all-agencies'}-${r.financialYear.replace('/', '-')}-${r.reportDate}`,
    csv: pendingBillsCsv, pdf: (r) => pendingBillsPdf(r),
  });
  threeWays(ctx, {
    path: '/api/reports/indicators', query: indicatorReportQuerySchema,
    summary: 'Monitoring and evaluation report for a quarter (2026-Q3) or financial year (2026/27): every indicator with its trend and target',
    build: (req) => buildIndicatorReport(ctx.db, req.valid.query),
    name: (r) => `indicators-${r.period.id.replace('/', '-')}-v${r.definitionsVersion}`,
    csv: indicatorReportCsv, pdf: (r, q) => indicatorReportPdf(r, q.lang),
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/indicators', tag: 'reports', roles: [...READERS],
    summary: 'The latest indicator definitions (what each measures, its formula, target and source) and the list of versions',
    handler: async () => ({ ...(await latestIndicatorDefinitions(ctx.db)), versions: await indicatorDefinitionVersions(ctx.db) }),
  });
  defineRoute(ctx, {
    method: 'post', path: '/api/indicators', tag: 'reports', roles: ['administrator'],
    body: z.object({ indicators: indicatorDocumentSchema.shape.indicators, note: z.string().trim().max(500).optional() }).strict(),
    success: { status: 201, description: 'the new version of the indicator definitions' },
    summary: 'Publish a new version of the indicator definitions (earlier versions never change)',
    handler: async (req) => publishIndicatorDefinitions(ctx.db, { indicators: req.valid.body.indicators }, req.user!.id, req.valid.body.note ?? null),
  });
}
