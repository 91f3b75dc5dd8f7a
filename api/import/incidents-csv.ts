/**
 * A documenting organisation's existing records from CSV, one incident per row (one victim, one or more acts by
 * one perpetrator; incidents with several victims go through the API). Every row is validated first and reported by
 * line, column and rule; only valid rows are registered (a bounded number at a time, progress after each); the
 * same organisation and reference again imports nothing twice. Columns: docs/accountability.md.
 */
import { parse } from 'csv-parse/sync';
import { ACTS, type Incident } from '../../domain/incident';
import type { FieldIssue } from '../../domain/validation';
import { CommandRefused, InvalidInput } from '../errors';
import type { IncidentService, Registrar } from '../incident/service';
import type { RowProblem } from './orders-csv';

export const INCIDENT_COLUMNS = [
  'reference', 'documenting_organisation_id', 'occurred_on', 'ended_on', 'county', 'place_category', 'acts', 'victim_ref',
  'claimant_ref', 'perpetrator_agency_id', 'unit_category', 'source_kind', 'source_on', 'interventions', 'investigating_body_id',
  'complaint_lodged_on',
] as const;
const REQUIRED = ['reference', 'occurred_on', 'county', 'place_category', 'acts', 'victim_ref', 'perpetrator_agency_id', 'unit_category', 'source_kind'];

/** Which CSV column a validation path came from, so a clerk can find it in the spreadsheet. */
function columnOf(path: string): string {
  const [head, , leaf, sub] = path.split('.');
  if (head === 'acts') {
    if (leaf === 'victimRef') return 'victim_ref';
    if (leaf === 'claimantRef') return 'claimant_ref';
    if (leaf === 'perpetrator') return sub === 'unitCategory' ? 'unit_category' : 'perpetrator_agency_id';
    return 'acts';
  }
  if (head === 'sources') return leaf === 'on' ? 'source_on' : 'source_kind';
  return ({
    reference: 'reference', documentingOrganisationId: 'documenting_organisation_id', occurredOn: 'occurred_on', endedOn: 'ended_on',
    county: 'county', placeCategory: 'place_category', interventions: 'interventions', investigatingBodyId: 'investigating_body_id',
  } as Record<string, string>)[head!] ?? path;
}

export interface ParsedIncidentRow { line: number; incident: Incident; incidentId: string; complaintLodgedOn?: string }

/** The incident a row describes, before validation (field names as the API takes them). */
function candidateOf(r: Record<string, string>) {
  const acts = (r.acts ?? '').split(/[;\s]+/).filter(Boolean);
  const interventions = (r.interventions ?? '').split(/;/).map((x) => x.trim()).filter(Boolean).map((x) => {
    const [kind, on] = x.split('@').map((y) => y.trim());
    return { kind, on };
  });
  return {
    reference: r.reference, ...(r.documenting_organisation_id ? { documentingOrganisationId: r.documenting_organisation_id } : {}),
    occurredOn: r.occurred_on, ...(r.ended_on ? { endedOn: r.ended_on } : {}), county: r.county, placeCategory: r.place_category,
    acts: acts.map((act) => ({
      act, victimRef: r.victim_ref, ...(r.claimant_ref ? { claimantRef: r.claimant_ref } : {}),
      perpetrator: { agencyId: r.perpetrator_agency_id, unitCategory: r.unit_category },
    })),
    sources: [{ kind: r.source_kind, on: r.source_on || r.occurred_on }], interventions,
    ...(r.investigating_body_id ? { investigatingBodyId: r.investigating_body_id } : {}),
  };
}

/** Parses and validates the whole file; nothing is written. */
export async function parseIncidentsCsv(service: IncidentService, csv: string, by: Registrar): Promise<{ rows: ParsedIncidentRow[]; problems: RowProblem[]; duplicates: { line: number; firstLine: number }[] }> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (err) {
    return { rows: [], problems: [{ line: (err as { lines?: number }).lines ?? 1, column: '(file)', rule: `not readable as CSV: ${(err as Error).message}` }], duplicates: [] };
  }
  const header = records.length ? Object.keys(records[0]!) : [];
  const problems: RowProblem[] = [];
  const unknown = header.filter((c) => !(INCIDENT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) problems.push({ line: 1, column: unknown.join(', '), rule: 'unknown column(s)' });
  for (const c of REQUIRED) if (records.length && !header.includes(c)) problems.push({ line: 1, column: c, rule: 'required column is missing' });
  if (problems.length) return { rows: [], problems, duplicates: [] };

  const known = await service.knownReferences();
  const rows: ParsedIncidentRow[] = [];
  const seen = new Map<string, number>();
  const duplicates: { line: number; firstLine: number }[] = [];
  for (const [i, r] of records.entries()) {
    const line = i + 2; // line 1 is the header
    const acts = (r.acts ?? '').split(/[;\s]+/).filter(Boolean);
    const mine: FieldIssue[] = acts.filter((a) => !(ACTS as readonly string[]).includes(a)).map((a) => ({ field: 'acts', rule: `unknown act ${a}: must be one of ${ACTS.join(', ')}` }));
    if (r.complaint_lodged_on && !/^\d{4}-\d{2}-\d{2}$/.test(r.complaint_lodged_on)) mine.push({ field: 'complaint_lodged_on', rule: 'must be a calendar date YYYY-MM-DD' });
    const checked = await service.validate(candidateOf(r), by, known);
    // Every problem of the row at once; an unknown act is said once, in words, not also as zod's enum message.
    const issues = [...mine, ...('issues' in checked ? checked.issues.filter((p) => !(mine.length && /^acts\.\d+\.act$/.test(p.field))) : [])];
    if (issues.length) {
      const unique = new Map(issues.map((p) => { const column = p.field === 'complaint_lodged_on' ? p.field : columnOf(p.field); return [`${column}|${p.rule}`, { line, column, rule: p.rule }]; }));
      problems.push(...unique.values());
      continue;
    }
    const ok = checked as { incident: Incident; incidentId: string };
    if (seen.has(ok.incidentId)) { duplicates.push({ line, firstLine: seen.get(ok.incidentId)! }); continue; }
    seen.set(ok.incidentId, line);
    rows.push({ line, incident: ok.incident, incidentId: ok.incidentId, ...(r.complaint_lodged_on ? { complaintLodgedOn: r.complaint_lodged_on } : {}) });
  }
  return { rows, problems, duplicates };
}

export interface IncidentImportSummary {
  rowsRead: number;
  imported: number;
  alreadyRegistered: number;
  rejected: number;
  duplicatesInFile: number;
  problems: RowProblem[];
  seconds: number;
}

/** Registers valid rows with at most `concurrency` in flight; reports progress after each. */
export async function importIncidents(
  service: IncidentService, csv: string, by: Registrar,
  opts: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<IncidentImportSummary> {
  const started = Date.now();
  const { rows, problems, duplicates } = await parseIncidentsCsv(service, csv, by);
  const known = await service.knownReferences();
  let imported = 0; let already = 0; let done = 0; let next = 0;
  const late: RowProblem[] = [];
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      try {
        const { incidentId, created } = await service.register(row.incident, by, known);
        if (created) imported++; else already++;
        // Also on a repeat: an import stopped between registration and the complaint is completed by the next (a
        // complaint already recorded with the same date is answered as a repeat).
        if (row.complaintLodgedOn) await service.command(incidentId, 'lodgeComplaint', { actor: by.id, lodgedOn: row.complaintLodgedOn });
      } catch (err) {
        if (err instanceof InvalidInput) late.push(...err.issues.map((i) => ({ line: row.line, column: columnOf(i.field), rule: i.rule })));
        else if (err instanceof CommandRefused) late.push({ line: row.line, column: 'complaint_lodged_on', rule: err.refusal.reason });
        else throw err;
      }
      opts.onProgress?.(++done, rows.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 8, 64)) }, worker));
  const all = [...problems, ...late].sort((a, b) => a.line - b.line);
  return {
    rowsRead: rows.length + new Set(problems.map((p) => p.line)).size + duplicates.length,
    imported, alreadyRegistered: already, rejected: new Set(all.filter((p) => p.line > 1).map((p) => p.line)).size,
    duplicatesInFile: duplicates.length,
    problems: [...all, ...duplicates.map((d) => ({ line: d.line, column: 'reference', rule: `same organisation and reference as line ${d.firstLine}; not imported twice` }))],
    seconds: (Date.now() - started) / 1000,
  };
}
