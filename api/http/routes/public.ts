/** Public figures, no sign-in: aggregates with small counts suppressed, and one row per claim without personal data. */
import { stringify } from 'csv-stringify/sync';
import { agencyLeagueTable, publicClaimRows, publicStatistics } from '../public-stats';
import { type RouteContext, defineRoute } from '../route';

export function publicRoutes(ctx: RouteContext) {
  const { db } = ctx;
  defineRoute(ctx, { method: 'get', path: '/api/public/statistics', tag: 'public', public: true, summary: 'Orders, awarded, paid and outstanding (with interest), overdue, median days to full payment; by violation type and year',
    handler: async () => publicStatistics(db) });
  defineRoute(ctx, { method: 'get', path: '/api/public/agencies', tag: 'public', public: true, summary: 'Compliance league table per respondent agency',
    handler: async () => ({ items: await agencyLeagueTable(db) }) });
  defineRoute(ctx, { method: 'get', path: '/api/public/claims.json', tag: 'public', public: true, summary: 'One row per claim, no personal data',
    handler: async () => ({ items: await publicClaimRows(db) }) });
  defineRoute(ctx, { method: 'get', path: '/api/public/claims.csv', tag: 'public', public: true, summary: 'One row per claim, no personal data (CSV)',
    success: { status: 200, description: 'CSV', contentType: 'text/csv' },
    handler: async (_req, res) => {
      const rows = await publicClaimRows(db);
      res.type('text/csv').send(stringify(rows, { header: true, columns: ['publicId', 'court', 'yearOfJudgment', 'respondentAgency', 'violationTypes', 'stage', 'overdue', 'escalationLevel', 'currency', 'awardedCents', 'paidCents', 'outstandingCents'] }));
    } });
}
