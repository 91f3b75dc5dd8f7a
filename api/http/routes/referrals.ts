/** /api/referrals: the referrals list (paged, filtered, searchable; CSV for administrators) and one referral. */
import { z } from 'zod';
import { centsFromDb } from '../../../domain/money';
import { REFERRAL_STAGES, SERVICES } from '../../../domain/referral';
import type { Db } from '../../../db/connection';
import type { User } from '../../access/users';
import { toCsv } from '../../csv';
import { notFound } from '../problem';
import { type RouteContext, defineRoute, param } from '../route';

const READERS = ['administrator', 'advocate', 'auditor'] as const;
const listQuery = z.object({
  stage: z.enum(REFERRAL_STAGES).optional(),
  service: z.enum(SERVICES).optional(),
  providerId: z.string().max(64).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100 (the cap)').default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
}).strict();
type ListQuery = z.output<typeof listQuery>;
const COLUMNS = ['id', 'claimId', 'service', 'beneficiaryKind', 'stage', 'providerId', 'currency', 'approvedCents', 'paidCents', 'consentedOn', 'updatedAt'];

/** Referrals this user may see: advocates only those on their own claims. */
function scoped(db: Db, user: User) {
  const q = db('referrals').join('claims', 'claims.id', 'referrals.claim_id');
  if (user.role === 'advocate') q.where('claims.advocate_id', user.advocateId);
  return q;
}

async function list(db: Db, user: User, f: ListQuery, limit: number) {
  const q = scoped(db, user);
  if (f.stage) q.where('referrals.stage', f.stage);
  if (f.service) q.where('referrals.service', f.service);
  if (f.providerId) q.where('referrals.provider_id', f.providerId);
  if (f.q) q.whereILike('referrals.id', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const total = Number((await q.clone().count({ n: '*' }).first())?.n ?? 0);
  const rows = await q.orderBy([{ column: 'referrals.updated_at', order: 'desc' }, { column: 'referrals.id' }]).limit(limit).offset(f.offset)
    .select('referrals.id', 'referrals.claim_id', 'referrals.service', 'referrals.beneficiary_kind', 'referrals.stage', 'referrals.provider_id',
      'referrals.approved_cents', 'referrals.paid_cents', 'referrals.consented_on', 'referrals.updated_at');
  return {
    total, limit, offset: f.offset,
    items: rows.map((r) => ({
      id: r.id, claimId: r.claim_id, service: r.service, beneficiaryKind: r.beneficiary_kind, stage: r.stage, providerId: r.provider_id, currency: 'KES',
      approvedCents: r.approved_cents === null ? null : centsFromDb(r.approved_cents), paidCents: centsFromDb(r.paid_cents),
      consentedOn: new Date(r.consented_on).toISOString().slice(0, 10), updatedAt: new Date(r.updated_at).toISOString(),
    })),
  };
}

export function referralListRoutes(ctx: RouteContext) {
  const { db } = ctx;
  defineRoute(ctx, {
    method: 'get', path: '/api/referrals', tag: 'referrals', roles: [...READERS], query: listQuery,
    summary: 'List referrals (advocates: those on their own claims), filtered and paginated; at most 100 a page',
    handler: async (req) => list(db, req.user!, req.valid.query, req.valid.query.limit),
  });
  defineRoute(ctx, {
    method: 'get', path: '/api/referrals.csv', tag: 'referrals', roles: ['administrator'], query: listQuery,
    summary: 'The referrals list as CSV with the same filters (administrators; at most 10,000 rows; no health facts)',
    success: { status: 200, description: 'CSV with a header row', contentType: 'text/csv' },
    handler: async (req, res) => {
      const { items } = await list(db, req.user!, req.valid.query, 10_000);
      res.type('text/csv').set('Content-Disposition', 'attachment; filename="referrals.csv"').send(toCsv(items, COLUMNS));
    },
  });
  defineRoute(ctx, {
    method: 'get', path: '/api/referrals/:referralId', tag: 'referrals', roles: [...READERS],
    summary: 'One referral (advocates: on their own claims; 404 otherwise)',
    handler: async (req) => {
      const row = await scoped(db, req.user!).where('referrals.id', param(req, 'referralId'))
        .first('referrals.id', 'referrals.claim_id', 'referrals.service', 'referrals.beneficiary_kind', 'referrals.stage', 'referrals.provider_id',
          'referrals.assessed_cost_cents', 'referrals.financial_year', 'referrals.approved_cents', 'referrals.paid_cents', 'referrals.consented_on', 'claims.court', 'claims.case_number');
      if (!row) throw notFound('referral');
      return {
        id: row.id, claimId: row.claim_id, court: row.court, caseNumber: row.case_number, service: row.service, beneficiaryKind: row.beneficiary_kind,
        stage: row.stage, providerId: row.provider_id, financialYear: row.financial_year, currency: 'KES',
        assessedCostCents: row.assessed_cost_cents === null ? null : centsFromDb(row.assessed_cost_cents),
        approvedCents: row.approved_cents === null ? null : centsFromDb(row.approved_cents), paidCents: centsFromDb(row.paid_cents),
        consentedOn: new Date(row.consented_on).toISOString().slice(0, 10),
      };
    },
  });
}
