/** Administration: agencies, contacts, advocates, providers, policies, the fund and users (API keys: routes/credentials.ts). */
import { z } from 'zod';
import { calendarDate, positiveCents } from '../../../domain/validation';
import { ADVOCATE_NOTIFY } from '../../../domain/escalation';
import { createUser, newUserSchema } from '../../access/users';
import { type EscalationService, advocateSchema, agencySchema, contactSchema } from '../../escalation/service';
import { type ReferralService, fundReport, providerSchema } from '../../referral/service';
import type { ClaimService } from '../../claims/service';
import type { ImportService } from '../../import/service';
import { toCsv } from '../../csv';
import { notFound } from '../problem';
import { type RouteContext, defineRoute, param } from '../route';

export function adminRoutes(ctx: RouteContext, services: { escalation: EscalationService; referrals: ReferralService; claims: ClaimService; imports: ImportService }) {
  const { db } = ctx;
  const admin = ['administrator'] as const;
  const ok = { status: 201, description: 'recorded' };

  defineRoute(ctx, { method: 'get', path: '/api/agencies', tag: 'administration', roles: ['administrator', 'auditor', 'advocate', 'documenting_organisation', 'investigator', 'prosecutor'], summary: 'Respondent agencies (also the alleged perpetrator agencies of incidents)',
    handler: async () => ({ items: await db('agencies').orderBy('name').select('id', 'name') }) });
  defineRoute(ctx, { method: 'post', path: '/api/agencies', tag: 'administration', roles: [...admin], body: agencySchema, success: ok, summary: 'Add a respondent agency',
    handler: async (req) => { await services.escalation.addAgency(req.valid.body, req.user!.id); return { id: req.valid.body.id }; } });
  defineRoute(ctx, { method: 'post', path: '/api/contacts', tag: 'administration', roles: [...admin], body: contactSchema, success: ok, summary: "Set an agency's or a shared body's contact for a ladder role",
    handler: async (req) => services.escalation.setContact(req.valid.body, req.user!.id) });
  defineRoute(ctx, { method: 'post', path: '/api/advocates', tag: 'administration', roles: [...admin], body: advocateSchema, success: ok, summary: 'Add or update an advocate',
    handler: async (req) => { await services.escalation.setAdvocate(req.valid.body, req.user!.id); return { id: req.valid.body.id }; } });
  defineRoute(ctx, { method: 'post', path: '/api/advocate/notifications', tag: 'session', roles: ['advocate'],
    summary: 'How you hear of what happens on your claims: immediate (an email each), weekly (a digest), or none (advocate)',
    body: z.object({ notify: z.enum(ADVOCATE_NOTIFY) }).strict(),
    handler: async (req) => {
      await db('advocates').where({ id: req.user!.advocateId }).update({ notify: req.valid.body.notify, updated_at: db.fn.now() });
      return { advocateId: req.user!.advocateId, notify: req.valid.body.notify };
    } });
  defineRoute(ctx, { method: 'post', path: '/api/providers', tag: 'administration', roles: [...admin], body: providerSchema, success: ok, summary: 'Register a rehabilitation provider',
    handler: async (req) => { await services.referrals.registerProvider(req.valid.body, req.user!.id); return { id: req.valid.body.id }; } });
  defineRoute(ctx, { method: 'post', path: '/api/providers/:providerId/activation', tag: 'administration', roles: [...admin], body: z.object({ active: z.boolean() }).strict(), summary: 'Activate or deactivate a provider',
    handler: async (req) => { await services.referrals.setProviderActive(param(req, 'providerId'), req.valid.body.active, req.user!.id); return { id: param(req, 'providerId'), active: req.valid.body.active }; } });
  defineRoute(ctx, { method: 'get', path: '/api/policies/latest', tag: 'administration', roles: ['administrator', 'auditor'], summary: 'The latest deadline policy',
    handler: async () => services.escalation.latestPolicy() });
  defineRoute(ctx, { method: 'post', path: '/api/policies', tag: 'administration', roles: [...admin], success: ok, summary: 'Publish a new deadline policy version',
    body: z.object({ stages: z.record(z.unknown()), registrationGraceHours: z.number().int().min(0).max(720).optional(), note: z.string().max(500).optional() }).strict(),
    handler: async (req) => {
      const { note, ...document } = req.valid.body;
      return services.escalation.publishPolicy(document, req.user!.id, note);
    } });
  defineRoute(ctx, { method: 'post', path: '/api/policies/:version/migrations', tag: 'administration', roles: [...admin], summary: 'Move chosen claims to this policy version',
    body: z.object({ claimIds: z.array(z.string().min(1).max(200)).min(1).max(500) }).strict(),
    handler: async (req) => {
      const version = Number(param(req, 'version'));
      if (!Number.isInteger(version) || version < 1) throw notFound('policy version');
      return services.escalation.migrateClaims(req.valid.body.claimIds, version, req.user!.id);
    } });
  defineRoute(ctx, { method: 'post', path: '/api/fund/receipts', tag: 'fund', roles: [...admin], success: ok,
    summary: 'Record money received by the Victim Protection Fund (the same reference in the year again: 200 with the first receipt; with another amount or date: 409)',
    body: z.object({ financialYear: z.string(), amountCents: positiveCents, reference: z.string().min(1).max(64), receivedOn: calendarDate }).strict(),
    handler: async (req, res) => {
      const { created, ...receipt } = await services.referrals.receiveFunds(req.valid.body, req.user!.id);
      res.locals.status = created ? 201 : 200;
      return receipt;
    } });
  defineRoute(ctx, { method: 'get', path: '/api/fund/reports/:year', tag: 'fund', roles: ['administrator', 'auditor'], summary: 'Need against funds received, committed and paid; waiting list (year as 2026-27)',
    handler: async (req) => {
      const m = /^(\d{4})-(\d{2})$/.exec(param(req, 'year'));
      if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) throw notFound('financial year (write it as 2026-27)');
      return fundReport(db, `${m[1]}/${m[2]}`);
    } });
  defineRoute(ctx, { method: 'post', path: '/api/imports', tag: 'administration', roles: [...admin],
    summary: 'Import legacy court orders from CSV (text/csv body; columns in docs/import.md): a durable import workflow; follow it at GET /api/imports/{id}',
    body: z.string({ invalid_type_error: 'send the CSV with Content-Type: text/csv', required_error: 'send the CSV with Content-Type: text/csv' }).max(20_000_000),
    bodyContentType: 'text/csv', bodyLimit: '20mb', success: { status: 202, description: 'the import id; the import runs on' },
    handler: async (req, res) => {
      const { id } = await services.imports.start(req.valid.body, req.user!.id);
      res.set('Location', `/api/imports/${id}`);
      return { id, status: `/api/imports/${id}`, problems: `/api/imports/${id}/problems.csv` };
    } });
  defineRoute(ctx, { method: 'get', path: '/api/imports/:importId', tag: 'administration', roles: ['administrator', 'auditor'],
    summary: "An import's progress (the workflow's Query while it runs) and its row-level problems (line, column, rule)",
    handler: async (req) => {
      const status = await services.imports.status(param(req, 'importId'));
      if (!status) throw notFound('import');
      const problems = await services.imports.problems(param(req, 'importId'));
      return { ...status, problemList: problems.slice(0, 1000), problemsShown: Math.min(problems.length, 1000) };
    } });
  defineRoute(ctx, { method: 'get', path: '/api/imports/:importId/problems.csv', tag: 'administration', roles: ['administrator', 'auditor'],
    summary: "An import's problems as CSV (line, column, rule)", success: { status: 200, description: 'CSV with a header row', contentType: 'text/csv' },
    handler: async (req, res) => {
      if (!(await services.imports.status(param(req, 'importId')))) throw notFound('import');
      const problems = await services.imports.problems(param(req, 'importId'));
      res.type('text/csv').set('Content-Disposition', `attachment; filename="import-${param(req, 'importId')}-problems.csv"`)
        .send(toCsv(problems, ['line', 'column', 'rule']));
    } });
  defineRoute(ctx, { method: 'post', path: '/api/users', tag: 'administration', roles: [...admin], body: newUserSchema, success: ok, summary: 'Create a user (administrator, advocate, auditor; investigator or prosecutor with bodyId; documenting_organisation with organisationId; provider with providerId)',

    handler: async (req) => createUser(db, req.valid.body) });
}
