/** /api/claims: registration, scoped reads, one POST per command, referrals, and the audit check. */
import { z } from 'zod';
import { verifyClaimChain } from '../../../db/chain';
import { STAGES, type CommandName, commandSchemas, courtOrderSchema } from '../../../domain/claim';
import { referralCommandSchemas, type ReferralCommandName } from '../../../domain/referral';
import type { ClaimService } from '../../claims/service';
import { type ReferralService, referralRequestInputSchema } from '../../referral/service';
import { claimDetail, listClaims } from '../claims-read';
import { toCsv } from '../../csv';
import { HttpProblem, notFound } from '../problem';
import { type RouteContext, defineRoute, param } from '../route';
import { claimScope } from '../claim-scope';

/** Command paths, and who may send each (administrators may send all). */
const COMMANDS: { path: string; name: CommandName; summary: string; advocate: boolean }[] = [
  { path: 'certificate', name: 'issueCertificate', summary: 'Record the certificate of order (no earlier than judgment + 21 days)', advocate: false },
  { path: 'certificate/service', name: 'serveCertificate', summary: 'Record service of the certificate on the Attorney General', advocate: false },
  { path: 'allocations', name: 'allocateBudget', summary: 'Record a budget allocation', advocate: false },
  { path: 'tranches', name: 'recordTranche', summary: 'Record a tranche paid (same payment reference: the first answer again)', advocate: false },
  { path: 'tranches/reversals', name: 'reverseTranche', summary: 'Reverse a wrongly recorded tranche', advocate: false },
  { path: 'receipts', name: 'confirmReceipt', summary: 'Confirm receipt of a tranche', advocate: true },
  { path: 'stay', name: 'grantStay', summary: 'Record a stay (all deadlines pause)', advocate: false },
  { path: 'stay/lift', name: 'liftStay', summary: 'Record the lifting of a stay', advocate: false },
  { path: 'withdrawal', name: 'withdraw', summary: 'Record withdrawal of the claim', advocate: false },
  { path: 'set-aside', name: 'setAside', summary: 'Record that the judgment was set aside', advocate: false },
  { path: 'enforcement/notice', name: 'serveEnforcementNotice', summary: 'Record the 21-day notice to the accounting officer', advocate: true },
  { path: 'enforcement/mandamus', name: 'fileMandamus', summary: 'Record the application for mandamus', advocate: true },
  { path: 'enforcement/mandamus/grant', name: 'grantMandamus', summary: 'Record the order of mandamus and its compliance period', advocate: true },
  { path: 'enforcement/show-cause', name: 'serveNoticeToShowCause', summary: 'Record the notice to show cause', advocate: true },
  { path: 'enforcement/contempt', name: 'findContempt', summary: 'Record a finding of contempt and the period to purge', advocate: true },
];

const REFERRAL_STEPS: { path: string; name: ReferralCommandName; summary: string; advocate: boolean }[] = [
  { path: 'assessment', name: 'assessNeeds', summary: 'Record the needs assessment', advocate: true },
  { path: 'provider', name: 'referToProvider', summary: 'Refer to a provider', advocate: true },
  { path: 'funding-decision', name: 'decideFunding', summary: "The fund's decision (approve an amount, or refuse with a reason)", advocate: false },
  { path: 'appointments', name: 'recordAppointment', summary: 'Record the first appointment', advocate: true },
  { path: 'sessions', name: 'recordSession', summary: 'Record a session', advocate: true },
  { path: 'provider-payments', name: 'payProvider', summary: 'Record a payment to the provider from the fund', advocate: false },
  { path: 'completion', name: 'complete', summary: 'Record completion (releases what was not paid)', advocate: true },
  { path: 'discontinuation', name: 'discontinue', summary: 'Record discontinuation with a reason', advocate: true },
];

// Providers are let through sign-in here only to be told 404 by the claim's scope: they reach no claim.
const ALL = ['administrator', 'advocate', 'auditor', 'provider'] as const;
const rolesFor = (advocate: boolean) => (advocate ? ['administrator', 'advocate'] : ['administrator']);

const listQuery = z.object({
  stage: z.enum(STAGES).optional(),
  agency: z.string().max(64).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  escalationLevel: z.coerce.number().int().min(-1).max(9).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  stayed: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  sort: z.enum(['escalation', 'judgment', 'updated', 'case']).default('escalation'),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100 (the cap)').default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
}).strict();

const CLAIM_CSV_COLUMNS = ['id', 'court', 'caseNumber', 'judgmentDate', 'respondentAgencyId', 'advocateId', 'stage', 'stayed', 'escalationLevel',
  'nextDeadlineAt', 'currency', 'awardedCents', 'interestAccruedCents', 'paidCents', 'outstandingCents', 'dailyInterestCents'];

export function claimRoutes(ctx: RouteContext, services: { claims: ClaimService; referrals: ReferralService }) {
  const { db } = ctx;

  const scopedFor = (allowed: readonly string[] = ALL) => claimScope(db, allowed);
  const scoped = scopedFor();

  defineRoute(ctx, {
    method: 'post', path: '/api/claims', tag: 'claims', roles: ['administrator'], body: courtOrderSchema,
    summary: 'Register a court order (the same court and case number again returns the existing claim, 200)',
    success: { status: 201, description: 'the new claim' },
    handler: async (req, res) => {
      const { claimId, created } = await services.claims.register(req.body, req.user!.id);
      res.locals.status = created ? 201 : 200;
      return { id: claimId, created, claim: await claimDetail(db, claimId) };
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/claims', tag: 'claims', roles: ['administrator', 'advocate', 'auditor'], query: listQuery,
    summary: 'List claims (advocates: their own), filtered and paginated; at most 100 a page',
    handler: async (req) => listClaims(db, {
      ...req.valid.query, minEscalationLevel: req.valid.query.escalationLevel,
      advocateId: req.user!.role === 'advocate' ? req.user!.advocateId! : undefined,
    }),
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/claims.csv', tag: 'claims', roles: ['administrator'], query: listQuery.extend({ limit: z.coerce.number().int().min(1).max(10_000).default(10_000) }),
    summary: 'The claims list as CSV, with the same filters (administrators; at most 10,000 rows; no survivor reference)',
    success: { status: 200, description: 'CSV with a header row', contentType: 'text/csv' },
    handler: async (req, res) => {
      const list = await listClaims(db, { ...req.valid.query, minEscalationLevel: req.valid.query.escalationLevel });
      res.type('text/csv').set('Content-Disposition', 'attachment; filename="claims.csv"').send(toCsv(list.items, CLAIM_CSV_COLUMNS));
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/claims/:id', tag: 'claims', roles: [...ALL], authorize: scoped,
    summary: 'A claim: stage, money owed today, deadlines, escalation level, referrals, timeline',
    handler: async (req) => {
      // The survivor reference is personal data: every read by a person is logged, in the statement that reads it.
      const detail = await claimDetail(db, param(req, 'id'), { userId: req.user!.id, what: 'claim detail (survivor reference)' });
      if (!detail) throw notFound('claim');
      return detail;
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/claims/:id/audit', tag: 'claims', roles: [...ALL], authorize: scoped,
    summary: "Verify the claim's hash chain; names the first broken event",
    handler: async (req) => {
      return verifyClaimChain(db, param(req, 'id'));
    },
  });

  for (const c of COMMANDS) {
    defineRoute(ctx, {
      method: 'post', path: `/api/claims/:id/${c.path}`, tag: 'claim commands', summary: `${c.summary} (${rolesFor(c.advocate).join(', ')})`,
      roles: [...ALL], authorize: scopedFor(rolesFor(c.advocate)),
      body: (commandSchemas[c.name] as z.AnyZodObject).omit({ actor: true }),
      handler: async (req) => {
        return services.claims.command(param(req, 'id'), c.name, { ...req.valid.body, actor: req.user!.id } as never);
      },
    });
  }

  defineRoute(ctx, {
    method: 'post', path: '/api/claims/:id/referrals', tag: 'referrals', roles: [...ALL], authorize: scopedFor(rolesFor(true)),
    body: referralRequestInputSchema, summary: 'Request a rehabilitation referral (consent required; administrator, advocate)',
    success: { status: 201, description: 'the referral id' },
    handler: async (req) => {
      const { referralId } = await services.referrals.requestReferral(param(req, 'id'), req.valid.body, req.user!.id);
      return { referralId };
    },
  });

  // Corrections: one endpoint, the kind of correction in the body; each is a new event with a reason, never an edit.
  const without = (name: CommandName) => (commandSchemas[name] as z.AnyZodObject).omit({ actor: true });
  const amendment = z.discriminatedUnion('kind', [
    without('amendOrder').extend({ kind: z.literal('order') }).strict(),
    without('reassignAdvocate').extend({ kind: z.literal('advocate') }).strict(),
    without('correctAllocation').extend({ kind: z.literal('allocation') }).strict(),
    without('correctReceipt').extend({ kind: z.literal('receipt') }).strict(),
  ]);
  const AMENDMENT_COMMAND = { order: 'amendOrder', advocate: 'reassignAdvocate', allocation: 'correctAllocation', receipt: 'correctReceipt' } as const;
  defineRoute(ctx, {
    method: 'post', path: '/api/claims/:id/amendments', tag: 'claim commands', roles: [...ALL], authorize: scopedFor(['administrator']), body: amendment,
    summary: 'Correct the record (administrator): kind order (award varied on appeal, costs taxed later, a component added), '
      + 'advocate (reassign), allocation (replace or withdraw a wrongly recorded one), receipt (correct or withdraw a confirmation); '
      + 'each with a reason, recorded as a new event; money and deadlines recomputed from it',
    handler: async (req) => {
      const { kind, ...input } = req.valid.body as { kind: keyof typeof AMENDMENT_COMMAND } & Record<string, unknown>;
      if (kind === 'advocate' && !(await db('advocates').where({ id: (input as { advocateId: string }).advocateId }).first('id'))) {
        throw new HttpProblem(422, 'Invalid input', `advocateId: unknown advocate`, [{ field: 'advocateId', rule: 'unknown advocate' }]);
      }
      return services.claims.command(param(req, 'id'), AMENDMENT_COMMAND[kind], { ...input, actor: req.user!.id } as never);
    },
  });

  for (const step of REFERRAL_STEPS) {
    const schema = step.name === 'referToProvider'
      ? z.object({ referredOn: (referralCommandSchemas.referToProvider as z.AnyZodObject).shape.referredOn, providerId: z.string().min(1).max(64) }).strict()
      : step.name === 'decideFunding'
        ? z.discriminatedUnion('decision', referralCommandSchemas.decideFunding.options.map((o) => (o as z.AnyZodObject).omit({ actor: true })) as never)
        : (referralCommandSchemas[step.name] as z.AnyZodObject).omit({ actor: true });
    defineRoute(ctx, {
      method: 'post', path: `/api/claims/:id/referrals/:referralId/${step.path}`, tag: 'referrals', summary: `${step.summary} (${rolesFor(step.advocate).join(', ')})`,
      roles: [...ALL], authorize: scopedFor(rolesFor(step.advocate)), body: schema as z.AnyZodObject,
      handler: async (req) => {
        const referral = await db('referral_priority').where({ referral_id: param(req, 'referralId') }).first('referral_id');
        if (!referral || !param(req, 'referralId').startsWith(`${param(req, 'id')}--`)) throw notFound('referral');
        return services.referrals.command(param(req, 'referralId'), step.name, { ...(req.valid.body as object), actor: req.user!.id });
      },
    });
  }
}
