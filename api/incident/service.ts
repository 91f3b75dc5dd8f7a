/**
 * Registers incidents and sends each step to its track's workflow: the one place where the API, the import, the
 * scripts and the tests talk to an incident. Also the documenting organisations and the investigating and
 * prosecuting bodies (each change logged). Reads come from the PostgreSQL record (db/incidents.ts).
 */
import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { calendarDateAt, compareDates } from '../../domain/calendar-date';
import {
  type Incident, type TrackCommandName, type TrackName, incidentIdFor, incidentSchema, incidentWorkflowId, investigatingBodyFor,
  trackOfCommand, trackWorkflowId,
} from '../../domain/incident';
import { type FieldIssue, issuesOf, nonEmptyText } from '../../domain/validation';
import type { Db } from '../../db/connection';
import {
  type LiveIncidentStatus, type LiveTrackStatus, TRACK_COMMAND_REFUSED, type TrackCommandResult, awaitIncidentRecordUpdate,
  incidentStatusQuery, linkClaimSignal, trackStatusQuery, trackUpdates,
} from '../../workflows/incident/messages';
import type { incidentWorkflow } from '../../workflows/incident/workflow';
import { latestPolicy } from '../escalation/service';
import { CommandRefused, IncidentNotFound, InvalidInput, refusalFromUpdate } from '../errors';

export { IncidentNotFound };

/** Who registers: an administrator (for any organisation, or none) or a documenting organisation's user (for their own). */
export interface Registrar {
  id: string;
  role: string;
  organisationId: string | null;
}

const email = z.string().trim().toLowerCase().email('must be a valid email address').max(254, 'must be at most 254 characters');
const recordId = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be 2-64 lower-case letters, digits or dashes');
export const organisationSchema = z.object({ id: recordId, name: nonEmptyText(160), email }).strict();
export const bodySchema = z.object({ id: recordId, name: nonEmptyText(160), kind: z.enum(['investigating', 'prosecuting']), email: email.optional() }).strict();

const TRACK_WORDS: Record<TrackName, string> = { investigation: 'investigation', prosecution: 'prosecution', inquest: 'inquest' };

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw new InvalidInput(issuesOf(r.error));
  return r.data;
}

function isClosedWorkflowError(err: unknown): boolean {
  return err instanceof Error && /workflow execution already completed|already completed/i.test(err.message);
}

export interface KnownReferences {
  agencies: Set<string>;
  bodies: Set<string>;
  organisations: Set<string>;
}

export interface IncidentServiceDeps {
  client: Client;
  db: Db;
  taskQueue: string;
  /** Passed to new incident workflows (and their tracks); tests lower it to exercise continue-as-new. */
  continueAsNewAfterEvents?: number;
}

export function createIncidentService(deps: IncidentServiceDeps) {
  const { client, db, taskQueue } = deps;

  /** The agencies, investigating bodies and organisations an incident may name (small tables, read whole). */
  async function knownReferences(): Promise<KnownReferences> {
    const [agencies, bodies, organisations] = await Promise.all([
      db('agencies').pluck('id'), db('incident_bodies').where({ kind: 'investigating' }).pluck('id'), db('documenting_organisations').pluck('id'),
    ]);
    return { agencies: new Set(agencies), bodies: new Set(bodies), organisations: new Set(organisations) };
  }

  /** Checks what the schema cannot: dates against today, and that every agency, body and organisation named exists. */
  function checkReferences(incident: Incident, known: KnownReferences): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const today = calendarDateAt(Date.now());
    const future = (field: string, date: string | undefined) => {
      if (date && compareDates(date, today) > 0) issues.push({ field, rule: `is in the future (today is ${today})` });
    };
    future('occurredOn', incident.occurredOn);
    future('endedOn', incident.endedOn);
    incident.sources.forEach((s, i) => future(`sources.${i}.on`, s.on));
    incident.interventions.forEach((s, i) => future(`interventions.${i}.on`, s.on));
    incident.acts.forEach((a, i) => {
      if (!known.agencies.has(a.perpetrator.agencyId)) issues.push({ field: `acts.${i}.perpetrator.agencyId`, rule: `unknown agency ${a.perpetrator.agencyId}` });
    });
    const body = investigatingBodyFor(incident);
    if (!known.bodies.has(body)) issues.push({ field: 'investigatingBodyId', rule: `unknown investigating body ${body}` });
    if (incident.documentingOrganisationId && !known.organisations.has(incident.documentingOrganisationId)) {
      issues.push({ field: 'documentingOrganisationId', rule: `unknown documenting organisation ${incident.documentingOrganisationId}` });
    }
    return issues;
  }

  /** The incident as the registrar may record it: a documenting organisation records under its own name only. */
  function asRegistrar(input: unknown, by: Registrar): unknown {
    if (by.role !== 'documenting_organisation' || input === null || typeof input !== 'object') return input;
    const given = (input as { documentingOrganisationId?: unknown }).documentingOrganisationId;
    if (given !== undefined && given !== by.organisationId) {
      throw new InvalidInput([{ field: 'documentingOrganisationId', rule: `must be your own organisation (${by.organisationId}) or left out` }]);
    }
    return { ...input, documentingOrganisationId: by.organisationId };
  }

  /** Validates an incident fully (shape, then references) without registering it: the import checks every row first. */
  async function validate(input: unknown, by: Registrar, known?: KnownReferences): Promise<{ incident: Incident; incidentId: string } | { issues: FieldIssue[] }> {
    let registrable: unknown;
    try {
      registrable = asRegistrar(input, by);
    } catch (err) {
      if (err instanceof InvalidInput) return { issues: err.issues };
      throw err;
    }
    const parsed = incidentSchema.safeParse(registrable);
    const refs = known ?? await knownReferences();
    if (!parsed.success) {
      // Unknown agencies are named too, so a clerk fixes a row in one go.
      const acts = (registrable as { acts?: { perpetrator?: { agencyId?: unknown } }[] } | null)?.acts;
      const unknown = (Array.isArray(acts) ? acts : []).flatMap((a, i) => {
        const id = a?.perpetrator?.agencyId;
        return typeof id === 'string' && !refs.agencies.has(id) ? [{ field: `acts.${i}.perpetrator.agencyId`, rule: `unknown agency ${id}` }] : [];
      });
      return { issues: [...issuesOf(parsed.error), ...unknown] };
    }
    const issues = checkReferences(parsed.data, refs);
    if (issues.length) return { issues };
    return { incident: parsed.data, incidentId: incidentIdFor(parsed.data.documentingOrganisationId, parsed.data.reference) };
  }

  /** Registers an incident (the same organisation and reference again: the existing incident, created false). */
  async function register(input: unknown, by: Registrar, known?: KnownReferences): Promise<{ incidentId: string; created: boolean }> {
    const checked = await validate(input, by, known);
    if ('issues' in checked) throw new InvalidInput(checked.issues);
    const { incident, incidentId } = checked;
    const policy = await latestPolicy(db);
    const registrationId = randomUUID();
    // Start and wait for the record and the tracks in one call (update-with-start), as a claim does.
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof incidentWorkflow>('incidentWorkflow', {
      workflowId: incidentWorkflowId(incidentId), taskQueue,
      args: [{ incidentId, incident, registeredBy: by.id, registrationId, policy, continueAsNewAfterEvents: deps.continueAsNewAfterEvents }],
      workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    let created = false;
    try {
      const recorded = await client.workflow.executeUpdateWithStart(awaitIncidentRecordUpdate, { args: [{ registrationId }], startWorkflowOperation });
      created = recorded.startedByThisRegistration;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError) && !(err instanceof WorkflowNotFoundError) && !isClosedWorkflowError(err)) throw err;
    }
    if (!(await db('incidents').where({ id: incidentId }).first('id'))) throw new Error(`incident ${incidentId} has a workflow but no record`);
    return { incidentId, created };
  }

  /** Sends one step to its track. Refusals come back as CommandRefused; a track that does not exist says why. */
  async function command(incidentId: string, name: TrackCommandName, input: Record<string, unknown>): Promise<TrackCommandResult> {
    const track = trackOfCommand(name)!;
    const update = trackUpdates[name];
    // A prosecution starts a moment after the file is forwarded: a step sent in that moment waits for it (10 s at most).
    const until = Date.now() + 10_000;
    for (;;) {
      try {
        return await client.workflow.getHandle(trackWorkflowId(incidentId, track)).executeUpdate(update, { args: [input] });
      } catch (err) {
        const refused = refusalFromUpdate(err, TRACK_COMMAND_REFUSED);
        if (refused) throw refused;
        if (!(err instanceof WorkflowNotFoundError) && !isClosedWorkflowError(err)) throw err;
        const incident = await db('incidents').where({ id: incidentId }).first('id', 'deaths', 'forwarded_on');
        if (!incident) throw new IncidentNotFound(incidentId);
        const row = await db('incident_tracks').where({ incident_id: incidentId, track }).first('stage', 'closed');
        if (row?.closed) throw new CommandRefused({ kind: 'conflict', reason: `the ${TRACK_WORDS[track]} is ${String(row.stage).replace(/_/g, ' ')}; no further step can be recorded` });
        const expected = track === 'prosecution' ? incident.forwarded_on !== null : track === 'inquest' ? incident.deaths : true;
        if (!expected) {
          throw new CommandRefused(track === 'prosecution'
            ? { kind: 'conflict', reason: 'no file has been forwarded to the prosecutor: the investigation forwards it first' }
            : { kind: 'conflict', reason: 'the incident records no death, so it has no inquest' });
        }
        if (Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async function incidentStatus(incidentId: string): Promise<LiveIncidentStatus> {
    try {
      return await client.workflow.getHandle(incidentWorkflowId(incidentId)).query(incidentStatusQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new IncidentNotFound(incidentId);
      throw err;
    }
  }

  async function trackStatus(incidentId: string, track: TrackName): Promise<LiveTrackStatus> {
    try {
      return await client.workflow.getHandle(trackWorkflowId(incidentId, track)).query(trackStatusQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new IncidentNotFound(incidentId);
      throw err;
    }
  }

  /** Tells the incident a claim names it (recorded in its chain); an incident's workflow that is gone changes nothing. */
  async function linkClaim(incidentId: string, claimId: string, actor: string): Promise<void> {
    try {
      await client.workflow.getHandle(incidentWorkflowId(incidentId)).signal(linkClaimSignal, { claimId, actor });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  async function setOrganisation(input: unknown, by: string): Promise<void> {
    const o = parse(organisationSchema, input);
    await db.transaction(async (trx) => {
      await trx('documenting_organisations').insert({ id: o.id, name: o.name, email: o.email })
        .onConflict('id').merge({ name: o.name, email: o.email, updated_at: trx.fn.now() });
      await trx('contact_changes').insert({ subject: 'documenting_organisation', agency_id: null, role: `documenting_organisation:${o.id}`, name: o.name, email: o.email, actor: by });
    });
  }

  /** Adds a body, or changes its name or reminder address; a body's kind never changes (its users depend on it). */
  async function setBody(input: unknown, by: string): Promise<void> {
    const b = parse(bodySchema, input);
    await db.transaction(async (trx) => {
      const existing = await trx('incident_bodies').where({ id: b.id }).first('kind');
      if (existing && existing.kind !== b.kind) throw new InvalidInput([{ field: 'kind', rule: `body ${b.id} is ${existing.kind}; its kind cannot change` }]);
      await trx('incident_bodies').insert({ id: b.id, name: b.name, kind: b.kind, email: b.email ?? null })
        .onConflict('id').merge({ name: b.name, email: b.email ?? null, updated_at: trx.fn.now() });
      await trx('contact_changes').insert({ subject: 'incident_body', agency_id: null, role: `${b.kind}_body:${b.id}`, name: b.name, email: b.email ?? '', actor: by });
    });
  }

  return { knownReferences, validate, register, command, incidentStatus, trackStatus, linkClaim, setOrganisation, setBody };
}
export type IncidentService = ReturnType<typeof createIncidentService>;
