/**
 * Providers (rehabilitation) sign in and see only the referrals sent to them: they record appointments, sessions and
 * invoices. Any other referral, and every claim, answers 404 on every endpoint, so a provider cannot tell it exists.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { referralCommandSchemas } from '../../../domain/referral';
import { type Cents, centsFromDb } from '../../../domain/money';
import { calendarDate, positiveCents } from '../../../domain/validation';
import { logPersonalDataRead } from '../../../db/personal-data-reads';
import type { ReferralService } from '../../referral/service';
import { HttpProblem, notFound } from '../problem';
import { type RouteContext, defineRoute, param } from '../route';

const PROVIDER = ['provider'] as const;
const reference = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/, 'must be 1-64 letters, digits or / _ . -');

export function providerRoutes(ctx: RouteContext, services: { referrals: ReferralService }) {
  const { db } = ctx;

  /** The referral if it was sent to this user's provider; 404 otherwise. */
  async function mine(req: Request) {
    const row = await db('referrals').where({ id: param(req, 'referralId'), provider_id: req.user!.providerId ?? '' }).first('id', 'claim_id', 'stage', 'service');
    if (!row) throw notFound('referral');
    return row;
  }
  const scoped = async (req: Request) => { await mine(req); };

  defineRoute(ctx, {
    method: 'get', path: '/api/provider/referrals', tag: 'providers', roles: [...PROVIDER], summary: 'The referrals sent to your provider (provider)',
    handler: async (req) => {
      const rows = await db('referrals').where({ provider_id: req.user!.providerId ?? '' }).orderBy('updated_at', 'desc')
        .select('id', 'service', 'beneficiary_kind', 'stage', 'approved_cents', 'paid_cents', 'updated_at');
      return {
        items: rows.map((r) => ({
          id: r.id, service: r.service, beneficiaryKind: r.beneficiary_kind, stage: r.stage, currency: 'KES',
          approvedCents: r.approved_cents === null ? null : centsFromDb(r.approved_cents), paidCents: centsFromDb(r.paid_cents),
          updatedAt: new Date(r.updated_at).toISOString(),
        })),
      };
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/provider/referrals/:referralId', tag: 'providers', roles: [...PROVIDER], authorize: scoped,
    summary: "A referral sent to you: its stage, funding, invoices and, where the survivor consented, the needs assessment (the read is logged)",
    handler: async (req) => {
      const r = await mine(req);
      const [detail, priority, invoices] = await Promise.all([
        db('referrals').where({ id: r.id }).first(),
        db('referral_priority').where({ referral_id: r.id }).first('share_assessment', 'needs_note'),
        db('provider_invoices').where({ referral_id: r.id }).orderBy('id').select('reference', 'amount_cents', 'invoiced_on'),
      ]);
      const shared = Boolean(priority?.share_assessment);
      if (shared && priority?.needs_note) await logPersonalDataRead(db, { userId: req.user!.id, claimId: r.claim_id, what: 'referral needs assessment (provider)', details: { referralId: r.id } });
      return {
        id: r.id, service: r.service, stage: r.stage, beneficiaryKind: detail.beneficiary_kind, currency: 'KES',
        approvedCents: detail.approved_cents === null ? null : centsFromDb(detail.approved_cents), paidCents: centsFromDb(detail.paid_cents),
        assessment: shared ? { needsNote: priority?.needs_note ?? null } : null,
        invoices: invoices.map((i) => ({ reference: i.reference, amountCents: centsFromDb(i.amount_cents) as Cents, invoicedOn: new Date(i.invoiced_on).toISOString().slice(0, 10) })),
      };
    },
  });

  for (const [path, name, summary] of [['appointments', 'recordAppointment', 'Record the first appointment'], ['sessions', 'recordSession', 'Record a session']] as const) {
    defineRoute(ctx, {
      method: 'post', path: `/api/provider/referrals/:referralId/${path}`, tag: 'providers', roles: [...PROVIDER], authorize: scoped,
      body: (referralCommandSchemas[name] as z.AnyZodObject).omit({ actor: true }), summary: `${summary} (provider)`,
      handler: async (req) => services.referrals.command(param(req, 'referralId'), name, { ...(req.valid.body as object), actor: req.user!.id }),
    });
  }

  defineRoute(ctx, {
    method: 'post', path: '/api/provider/referrals/:referralId/invoices', tag: 'providers', roles: [...PROVIDER], authorize: scoped,
    body: z.object({ reference, amountCents: positiveCents, invoicedOn: calendarDate }).strict(),
    summary: 'Record an invoice for care given under the referral (provider); the fund pays it through the payment step',
    success: { status: 201, description: 'recorded' },
    handler: async (req) => {
      const r = await mine(req);
      if (!['funded', 'in_care', 'completed'].includes(r.stage)) throw new HttpProblem(409, 'Conflict', `the referral is ${r.stage.replace('_', ' ')}; invoices follow funding`);
      const { reference: ref, amountCents, invoicedOn } = req.valid.body;
      const inserted = await db('provider_invoices').insert({
        referral_id: r.id, provider_id: req.user!.providerId, reference: ref, amount_cents: amountCents, invoiced_on: invoicedOn, recorded_by: req.user!.id,
      }).onConflict(['referral_id', 'reference']).ignore().returning('id');
      if (!inserted.length) throw new HttpProblem(409, 'Conflict', `invoice ${ref} is already recorded for this referral`, [{ field: 'reference', rule: 'is already recorded' }]);
      return { referralId: r.id, reference: ref, amountCents, invoicedOn };
    },
  });
}
