/**
 * Administrators' side of escalation: who is written to (agency contacts, shared bodies, advocates), the
 * versioned deadline policy, and moving chosen claims to a newer policy. Every change is recorded.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Refusal } from '../../domain/claim';
import { workflowIdFor } from '../../domain/claim';
import {
  ADVOCATE_NOTIFY,
  AGENCY_ROLES, type DeadlinePolicy, type PolicyDocument, ROLES, SHARED_ROLES, policyDocumentSchema,
} from '../../domain/escalation';
import { issuesOf, nonEmptyText } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { COMMAND_REFUSED, type LiveClaimStatus, migratePolicyUpdate } from '../../workflows/claim/messages';
import { InvalidInput, refusalFromUpdate } from '../errors';

const email = z.string().trim().toLowerCase().email('must be a valid email address').max(254, 'must be at most 254 characters');
const actor = nonEmptyText(64);

export const contactSchema = z.object({
  agencyId: z.string().trim().min(1).max(64).nullable().default(null),
  role: z.enum(ROLES.filter((r) => r !== 'advocate') as [string, ...string[]], { message: `must be one of ${ROLES.filter((r) => r !== 'advocate').join(', ')}` }),
  name: nonEmptyText(120),
  email,
}).strict();

export const agencySchema = z.object({
  id: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be 2-64 lower-case letters, digits or dashes'),
  name: nonEmptyText(160),
}).strict();

export const advocateSchema = z.object({
  id: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be 2-64 lower-case letters, digits or dashes'),
  name: nonEmptyText(120),
  email,
  /** How the advocate hears of what happens on their claims (default immediate). */
  notify: z.enum(ADVOCATE_NOTIFY).optional(),
}).strict();

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw new InvalidInput(issuesOf(r.error));
  return r.data;
}

export async function latestPolicy(db: Db): Promise<DeadlinePolicy> {
  const row = await db('deadline_policies').orderBy('version', 'desc').first('version', 'document');
  if (!row) throw new Error('no deadline policy: run the migrations');
  return { ...(row.document as PolicyDocument), version: row.version };
}

export async function policyVersion(db: Db, version: number): Promise<DeadlinePolicy | null> {
  const row = await db('deadline_policies').where({ version }).first('version', 'document');
  return row ? { ...(row.document as PolicyDocument), version: row.version } : null;
}

export function createEscalationService(deps: { client: Client; db: Db }) {
  const { client, db } = deps;

  /** Adds a respondent agency; an existing id is refused rather than renamed silently. */
  async function addAgency(input: unknown, by: string): Promise<void> {
    const a = parse(agencySchema, input);
    parse(actor, by);
    const inserted = await db('agencies').insert({ id: a.id, name: a.name }).onConflict('id').ignore().returning('id');
    if (inserted.length === 0) throw new InvalidInput([{ field: 'id', rule: `agency ${a.id} already exists` }]);
  }

  /** Sets the current contact for an agency's role (or a shared body's, with agencyId null); the previous one is retired. */
  async function setContact(input: unknown, by: string): Promise<{ id: string }> {
    const c = parse(contactSchema, input);
    parse(actor, by);
    const perAgency = AGENCY_ROLES.includes(c.role as never);
    if (perAgency && !c.agencyId) throw new InvalidInput([{ field: 'agencyId', rule: `is required for role ${c.role}` }]);
    if (SHARED_ROLES.includes(c.role as never) && c.agencyId) {
      throw new InvalidInput([{ field: 'agencyId', rule: `must be empty: ${c.role} is a shared body, not per agency` }]);
    }
    if (c.agencyId && !(await db('agencies').where({ id: c.agencyId }).first('id'))) {
      throw new InvalidInput([{ field: 'agencyId', rule: `unknown agency ${c.agencyId}` }]);
    }
    return db.transaction(async (trx) => {
      const current = trx('contacts').where({ role: c.role, active: true });
      await (c.agencyId ? current.where({ agency_id: c.agencyId }) : current.whereNull('agency_id')).update({ active: false });
      const [row] = await trx('contacts').insert({ agency_id: c.agencyId, role: c.role, name: c.name, email: c.email }).returning('id');
      await trx('contact_changes').insert({ subject: 'contact', agency_id: c.agencyId, role: c.role, name: c.name, email: c.email, actor: by });
      return { id: String(row.id) };
    });
  }

  async function setAdvocate(input: unknown, by: string): Promise<void> {
    const a = parse(advocateSchema, input);
    parse(actor, by);
    await db.transaction(async (trx) => {
      await trx('advocates').insert({ id: a.id, name: a.name, email: a.email, ...(a.notify ? { notify: a.notify } : {}) })
        .onConflict('id').merge({ name: a.name, email: a.email, ...(a.notify ? { notify: a.notify } : {}), updated_at: trx.fn.now() });
      await trx('contact_changes').insert({ subject: 'advocate', agency_id: null, role: `advocate:${a.id}`, name: a.name, email: a.email, actor: by });
    });
  }

  /** Publishes a new policy version; claims keep theirs until migrated. */
  async function publishPolicy(document: unknown, by: string, note?: string): Promise<DeadlinePolicy> {
    const doc = parse(policyDocumentSchema, document);
    parse(actor, by);
    return db.transaction(async (trx) => {
      await trx.raw('LOCK TABLE deadline_policies IN EXCLUSIVE MODE');
      const max = await trx('deadline_policies').max({ v: 'version' }).first();
      const version = Number(max?.v ?? 0) + 1;
      await trx('deadline_policies').insert({ version, document: JSON.stringify(doc), created_by: by, note: note ?? null });
      return { ...doc, version };
    });
  }

  /** Moves each claim to `version`; returns each claim's new status, or the reason it was refused. */
  async function migrateClaims(claimIds: string[], version: number, by: string): Promise<Record<string, LiveClaimStatus | Refusal>> {
    const policy = await policyVersion(db, version);
    if (!policy) throw new InvalidInput([{ field: 'version', rule: `unknown policy version ${version}` }]);
    const results: Record<string, LiveClaimStatus | Refusal> = {};
    for (const claimId of claimIds) {
      try {
        results[claimId] = await client.workflow.getHandle(workflowIdFor(claimId)).executeUpdate(migratePolicyUpdate, { args: [{ actor: by, policy }] });
      } catch (err) {
        const refused = refusalFromUpdate(err, COMMAND_REFUSED);
        if (!refused) throw err;
        results[claimId] = refused.refusal;
      }
    }
    return results;
  }

  return { addAgency, setContact, setAdvocate, publishPolicy, migrateClaims, latestPolicy: () => latestPolicy(db) };
}
export type EscalationService = ReturnType<typeof createEscalationService>;
