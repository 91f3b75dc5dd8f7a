/**
 * /api/incidents: registration, scoped reads, one POST per step of each track, referrals from an incident, the
 * audit check and the CSV import. Every endpoint on one incident first finds it within what the user may see (in
 * the query itself, db/incidents.ts), answering 404 otherwise, so nobody can tell that another's incident exists;
 * only then is the role checked (403 on an incident one may see but not act on).
 */
import type { Request } from 'express';
import { z } from 'zod';
import {
  ACTS, COUNTIES, INQUEST_STAGES, INVESTIGATION_STAGES, PROSECUTION_STAGES, type TrackCommandName, inquestCommands, incidentSchema,
  investigationCommands, prosecutionCommands,
} from '../../../domain/incident';
import { referralCommandSchemas, type ReferralCommandName } from '../../../domain/referral';
import { incidentDetail, incidentFor, listIncidents, verifyIncidentChains } from '../../../db/incidents';
import type { User, UserRole } from '../../access/users';
import { ROLES } from '../../access/users';
import type { IncidentService } from '../../incident/service';
import { bodySchema, organisationSchema } from '../../incident/service';
import { importIncidents } from '../../import/incidents-csv';
import { type ReferralService, referralRequestInputSchema } from '../../referral/service';
import { HttpProblem, notFound } from '../problem';
import { type RouteContext, defineRoute, param } from '../route';

type Role = UserRole;
const ADMIN: Role[] = ['administrator'];
/** Everyone who may read an incident they can see. */
const READERS: Role[] = ['administrator', 'auditor', 'investigator', 'prosecutor', 'documenting_organisation'];

interface Step { path: string; name: TrackCommandName; summary: string; roles: Role[] }

const STEPS: { track: 'investigation' | 'prosecution' | 'inquest'; schemas: Record<string, z.AnyZodObject>; steps: Step[] }[] = [
  {
    track: 'investigation', schemas: investigationCommands, steps: [
      { path: 'complaint', name: 'lodgeComplaint', summary: 'Record the complaint being lodged', roles: [...ADMIN, 'investigator', 'documenting_organisation'] },
      { path: 'acknowledgement', name: 'acknowledgeComplaint', summary: "Record the body's acknowledgment of the complaint, with its reference", roles: [...ADMIN, 'investigator'] },
      { path: 'opening', name: 'openInvestigation', summary: 'Record the opening of the investigation', roles: [...ADMIN, 'investigator'] },
      { path: 'findings', name: 'recordFindings', summary: 'Record the findings of the investigation', roles: [...ADMIN, 'investigator'] },
      { path: 'recommendation', name: 'recommend', summary: 'Record the recommendation: prosecute, discipline, or close (reasons required unless prosecute)', roles: [...ADMIN, 'investigator'] },
      { path: 'forwarding', name: 'forwardFile', summary: 'Record the file forwarded to the prosecutor (starts the prosecution track)', roles: [...ADMIN, 'investigator'] },
    ],
  },
  {
    track: 'prosecution', schemas: prosecutionCommands, steps: [
      { path: 'charging-decision', name: 'decideCharge', summary: 'Record the charging decision: charge, no charge (reasons), or further investigation (reasons)', roles: [...ADMIN, 'prosecutor'] },
      { path: 'resubmission', name: 'resubmitFile', summary: 'Record the file coming back after further investigation', roles: [...ADMIN, 'investigator'] },
      { path: 'charges', name: 'fileCharges', summary: 'Record the charges filed: court, case number, number of accused', roles: [...ADMIN, 'prosecutor'] },
      { path: 'trial', name: 'startTrial', summary: 'Record the start of the trial', roles: [...ADMIN, 'prosecutor'] },
      { path: 'verdicts', name: 'recordVerdict', summary: 'Record the verdict for one accused (convicted, acquitted, withdrawn)', roles: [...ADMIN, 'prosecutor'] },
      { path: 'sentences', name: 'recordSentence', summary: 'Record the sentence of one convicted accused', roles: [...ADMIN, 'prosecutor'] },
      { path: 'appeal', name: 'fileAppeal', summary: 'Record an appeal filed (within the appeal period)', roles: [...ADMIN, 'prosecutor'] },
      { path: 'appeal-decision', name: 'decideAppeal', summary: 'Record the decision on the appeal', roles: [...ADMIN, 'prosecutor'] },
    ],
  },
  {
    track: 'inquest', schemas: inquestCommands, steps: [
      { path: 'notification', name: 'notifyDeath', summary: 'Record the notification of the death', roles: [...ADMIN, 'investigator', 'documenting_organisation'] },
      { path: 'post-mortem', name: 'recordPostMortem', summary: 'Record the post-mortem examination', roles: [...ADMIN, 'investigator', 'documenting_organisation'] },
      { path: 'opening', name: 'openInquest', summary: 'Record the opening of the inquest (court, inquest number)', roles: [...ADMIN, 'investigator', 'documenting_organisation'] },
      { path: 'finding', name: 'recordInquestFinding', summary: 'Record the finding of the inquest', roles: [...ADMIN, 'investigator', 'documenting_organisation'] },
    ],
  },
];

const REFERRAL_STEPS: { path: string; name: ReferralCommandName; summary: string; organisation: boolean }[] = [
  { path: 'assessment', name: 'assessNeeds', summary: 'Record the needs assessment', organisation: true },
  { path: 'provider', name: 'referToProvider', summary: 'Refer to a provider', organisation: true },
  { path: 'funding-decision', name: 'decideFunding', summary: "The fund's decision (approve an amount, or refuse with a reason)", organisation: false },
  { path: 'appointments', name: 'recordAppointment', summary: 'Record the first appointment', organisation: true },
  { path: 'sessions', name: 'recordSession', summary: 'Record a session', organisation: true },
  { path: 'provider-payments', name: 'payProvider', summary: 'Record a payment to the provider from the fund', organisation: false },
  { path: 'completion', name: 'complete', summary: 'Record completion (releases what was not paid)', organisation: true },
  { path: 'discontinuation', name: 'discontinue', summary: 'Record discontinuation with a reason', organisation: true },
];

const listQuery = z.object({
  act: z.enum(ACTS).optional(),
  county: z.enum(COUNTIES).optional(),
  year: z.coerce.number().int().min(1900, 'must be 1900 or later').max(2200, 'must be 2200 or earlier').optional(),
  investigationStage: z.enum(INVESTIGATION_STAGES).optional(),
  prosecutionStage: z.enum(PROSECUTION_STAGES).optional(),
  inquestStage: z.enum(INQUEST_STAGES).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  body: z.string().max(64).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100 (the cap)').default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
}).strict();

export function incidentRoutes(ctx: RouteContext, services: { incidents: IncidentService; referrals: ReferralService }) {
  const { db } = ctx;
  const everyone = [...ROLES];

  /** Scope (404), then role (403), before any body is read: one look-up per request. */
  async function incidentOf(user: User, incidentId: string, allowed: readonly Role[]) {
    const row = await incidentFor(db, user, incidentId);
    if (!row) throw notFound('incident');
    if (!allowed.includes(user.role)) throw new HttpProblem(403, 'Forbidden', `this needs the role ${allowed.join(' or ')}`);
    return row;
  }
  const scopedFor = (allowed: readonly Role[]) => async (req: Request) => { await incidentOf(req.user!, param(req, 'id'), allowed); };

  defineRoute(ctx, {
    method: 'post', path: '/api/incidents', tag: 'incidents', roles: [...ADMIN, 'documenting_organisation'], body: incidentSchema,
    summary: "Register an incident (the same organisation and reference again returns the existing incident, 200); a documenting organisation registers under its own name",
    success: { status: 201, description: 'the new incident' },
    handler: async (req, res) => {
      const user = req.user!;
      const { incidentId, created } = await services.incidents.register(req.body, { id: user.id, role: user.role, organisationId: user.organisationId });
      res.locals.status = created ? 201 : 200;
      return { id: incidentId, created, incident: await incidentDetail(db, incidentId, { logReadBy: { userId: user.id, what: 'incident registered (victim references)' }, withClaims: user.role !== 'documenting_organisation' }) };
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/incidents', tag: 'incidents', roles: READERS, query: listQuery,
    summary: 'List incidents (each user: those they may see), filtered and paginated, most overdue first; at most 100 a page',
    handler: async (req) => listIncidents(db, req.user!, req.valid.query),
  });

  defineRoute(ctx, {
    method: 'post', path: '/api/incidents/imports', tag: 'incidents', roles: [...ADMIN, 'documenting_organisation'],
    summary: "Import an organisation's incident records from CSV (text/csv body; columns in docs/accountability.md)",
    body: z.string({ invalid_type_error: 'send the CSV with Content-Type: text/csv', required_error: 'send the CSV with Content-Type: text/csv' }).max(20_000_000),
    bodyContentType: 'text/csv', bodyLimit: '20mb', success: { status: 200, description: 'the import summary, with each problem by line, column and rule' },
    handler: async (req) => {
      const user = req.user!;
      return importIncidents(services.incidents, req.valid.body, { id: user.id, role: user.role, organisationId: user.organisationId }, { concurrency: 8 });
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/incidents/:id', tag: 'incidents', roles: everyone, authorize: scopedFor(READERS),
    summary: 'An incident: its acts, tracks with their stage and state, deadlines, referrals, timeline (every read is logged)',
    handler: async (req) => {
      const user = req.user!;
      // The victims' references are personal data: every read by a person is logged, in the statement that reads them.
      const detail = await incidentDetail(db, param(req, 'id'), {
        logReadBy: { userId: user.id, what: 'incident detail (victim references)' },
        withClaims: user.role === 'administrator' || user.role === 'auditor' || user.role === 'documenting_organisation',
      });
      if (!detail) throw notFound('incident');
      return detail;
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/incidents/:id/audit', tag: 'incidents', roles: everyone, authorize: scopedFor(READERS),
    summary: "Verify the incident's hash chains (its own and each track's); names the first broken event",
    handler: async (req) => verifyIncidentChains(db, param(req, 'id')),
  });

  for (const { track, schemas, steps } of STEPS) {
    for (const step of steps) {
      defineRoute(ctx, {
        method: 'post', path: `/api/incidents/:id/${track}/${step.path}`, tag: `incident ${track}`, summary: `${step.summary} (${step.roles.join(', ')})`,
        roles: everyone, authorize: scopedFor(step.roles), body: schemas[step.name]!.omit({ actor: true }),
        handler: async (req) => services.incidents.command(param(req, 'id'), step.name, { ...(req.valid.body as object), actor: req.user!.id }),
      });
    }
  }

  const referralRoles = (organisation: boolean): Role[] => (organisation ? [...ADMIN, 'documenting_organisation'] : [...ADMIN]);
  defineRoute(ctx, {
    method: 'post', path: '/api/incidents/:id/referrals', tag: 'referrals', roles: everyone, authorize: scopedFor(referralRoles(true)),
    body: referralRequestInputSchema,
    summary: 'Request a rehabilitation referral from the incident, with no court order (consent required; funded by the Victim Protection Fund)',
    success: { status: 201, description: 'the referral id' },
    handler: async (req) => {
      const { referralId } = await services.referrals.requestIncidentReferral(param(req, 'id'), req.valid.body, req.user!.id);
      return { referralId };
    },
  });

  for (const step of REFERRAL_STEPS) {
    const schema = step.name === 'referToProvider'
      ? z.object({ referredOn: (referralCommandSchemas.referToProvider as z.AnyZodObject).shape.referredOn, providerId: z.string().min(1).max(64) }).strict()
      : step.name === 'decideFunding'
        ? z.discriminatedUnion('decision', referralCommandSchemas.decideFunding.options.map((o) => (o as z.AnyZodObject).omit({ actor: true })) as never)
        : (referralCommandSchemas[step.name] as z.AnyZodObject).omit({ actor: true });
    defineRoute(ctx, {
      method: 'post', path: `/api/incidents/:id/referrals/:referralId/${step.path}`, tag: 'referrals',
      summary: `${step.summary} (${referralRoles(step.organisation).join(', ')})`,
      roles: everyone, authorize: scopedFor(referralRoles(step.organisation)), body: schema as z.AnyZodObject,
      handler: async (req) => {
        const referralId = param(req, 'referralId');
        const referral = await db('referral_priority').where({ referral_id: referralId }).first('referral_id');
        if (!referral || !referralId.startsWith(`${param(req, 'id')}--`)) throw notFound('referral');
        return services.referrals.command(referralId, step.name, { ...(req.valid.body as object), actor: req.user!.id });
      },
    });
  }

  const ok = { status: 201, description: 'recorded' };
  defineRoute(ctx, {
    method: 'get', path: '/api/incident-bodies', tag: 'incidents', roles: everyone, summary: 'Investigating bodies and prosecuting offices',
    handler: async () => ({ items: await db('incident_bodies').orderBy(['kind', 'name']).select('id', 'name', 'kind') }),
  });
  defineRoute(ctx, {
    method: 'post', path: '/api/incident-bodies', tag: 'administration', roles: [...ADMIN], body: bodySchema, success: ok,
    summary: 'Add an investigating body or prosecuting office, or change its name or the address its reminders go to',
    handler: async (req) => { await services.incidents.setBody(req.valid.body, req.user!.id); return { id: req.valid.body.id }; },
  });
  defineRoute(ctx, {
    method: 'get', path: '/api/documenting-organisations', tag: 'administration', roles: ['administrator', 'auditor'], summary: 'Documenting organisations',
    handler: async () => ({ items: await db('documenting_organisations').orderBy('name').select('id', 'name', 'email') }),
  });
  defineRoute(ctx, {
    method: 'post', path: '/api/documenting-organisations', tag: 'administration', roles: [...ADMIN], body: organisationSchema, success: ok,
    summary: 'Add or update a documenting organisation (its address gets the oversight reminders of its incidents)',
    handler: async (req) => { await services.incidents.setOrganisation(req.valid.body, req.user!.id); return { id: req.valid.body.id }; },
  });
}
