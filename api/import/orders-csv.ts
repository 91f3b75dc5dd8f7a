/**
 * Legacy court orders from CSV: every row is validated first and reported by line, column and rule; only valid
 * rows are registered (a bounded number at a time); registering the same court and case number again imports
 * nothing twice. Columns are documented in docs/import.md; a sample is docs/sample-orders.csv.
 */
import { parse } from 'csv-parse/sync';
import { type CourtOrder, courtOrderSchema, claimIdFor } from '../../domain/claim';
import { isCalendarDate } from '../../domain/calendar-date';
import { issuesOf } from '../../domain/validation';
import type { Db } from '../../db/connection';
import type { ClaimService } from '../claims/service';
import { CommandRefused, InvalidInput } from '../errors';

export const ORDER_COLUMNS = [
  'court', 'case_number', 'judgment_date', 'costs_taxed_on', 'respondent_agency_id', 'survivor_ref', 'violation_types',
  'advocate_id', 'general_damages_kes', 'special_damages_kes', 'costs_kes', 'interest_rate_percent', 'interest_from',
  'certificate_issued_on', 'certificate_served_on',
] as const;
const REQUIRED = ['court', 'case_number', 'judgment_date', 'respondent_agency_id', 'survivor_ref', 'violation_types', 'advocate_id', 'general_damages_kes'];

export interface RowProblem { line: number; column: string; rule: string }
export interface ParsedRow { line: number; order: CourtOrder; certificateIssuedOn?: string; certificateServedOn?: string }

/** "700,000.50" (shillings) to cents, exactly; null when it is not an amount. */
export function shillingsToCents(text: string): number | null {
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const cents = BigInt(m[1]!.replace(/,/g, '')) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  return cents <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cents) : null;
}

/** Which CSV column a validation path came from, so a clerk can find it in the spreadsheet. */
function columnOf(path: string): string {
  if (path.startsWith('components.0')) return 'general_damages_kes';
  if (path.startsWith('components')) return 'costs_kes';
  return ({ court: 'court', caseNumber: 'case_number', judgmentDate: 'judgment_date', costsTaxedOn: 'costs_taxed_on', respondentAgencyId: 'respondent_agency_id',
    survivorRef: 'survivor_ref', violationTypes: 'violation_types', advocateId: 'advocate_id' } as Record<string, string>)[path.split('.')[0]!] ?? path;
}

/** Parses and validates the whole file; nothing touches the database but the agency and advocate look-ups. */
export async function parseOrdersCsv(db: Db, csv: string): Promise<{ rows: ParsedRow[]; problems: RowProblem[]; duplicates: { line: number; firstLine: number }[] }> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (err) {
    return { rows: [], problems: [{ line: (err as { lines?: number }).lines ?? 1, column: '(file)', rule: `not readable as CSV: ${(err as Error).message}` }], duplicates: [] };
  }
  const header = records.length ? Object.keys(records[0]!) : [];
  const problems: RowProblem[] = [];
  const unknown = header.filter((c) => !(ORDER_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) problems.push({ line: 1, column: unknown.join(', '), rule: 'unknown column(s)' });
  for (const c of REQUIRED) if (records.length && !header.includes(c)) problems.push({ line: 1, column: c, rule: 'required column is missing' });
  if (problems.length) return { rows: [], problems, duplicates: [] };

  const agencies = new Set<string>(await db('agencies').pluck('id'));
  const advocates = new Set<string>(await db('advocates').pluck('id'));
  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  const duplicates: { line: number; firstLine: number }[] = [];
  records.forEach((r, i) => {
    const line = i + 2; // line 1 is the header
    const mine: RowProblem[] = [];
    const money = (column: string) => {
      if (!r[column]) return undefined;
      const cents = shillingsToCents(r[column]!);
      if (cents === null) mine.push({ line, column, rule: 'must be an amount in shillings, like 700000 or 150,110.50' });
      return cents ?? undefined;
    };
    const rate = r.interest_rate_percent ? Number(r.interest_rate_percent) : 12;
    if (!Number.isFinite(rate) || rate < 0 || rate > 100 || Math.round(rate * 100) !== rate * 100) {
      mine.push({ line, column: 'interest_rate_percent', rule: 'must be a percentage from 0 to 100 with at most two decimals' });
    }
    const from = r.interest_from || r.judgment_date || '';
    const rateBasisPoints = Math.round(rate * 100);
    const components = [
      ['General damages', money('general_damages_kes')], ['Special damages', money('special_damages_kes')], ['Costs', money('costs_kes')],
    ].filter(([, c]) => c !== undefined && c !== 0).map(([label, amountCents]) => ({ label, amountCents, rateBasisPoints, interestFrom: from }));
    const candidate = {
      court: r.court, caseNumber: r.case_number, judgmentDate: r.judgment_date, ...(r.costs_taxed_on ? { costsTaxedOn: r.costs_taxed_on } : {}),
      respondentAgencyId: r.respondent_agency_id, survivorRef: r.survivor_ref, advocateId: r.advocate_id,
      violationTypes: (r.violation_types ?? '').split(/[;\s]+/).filter(Boolean), components,
    };
    const parsed = courtOrderSchema.safeParse(candidate);
    if (!parsed.success) {
      const moneyProblem = mine.some((p) => p.column.endsWith('_kes'));
      for (const issue of issuesOf(parsed.error)) {
        // Said once, where the clerk typed it: a bad amount is not also "no award component", and a bad judgment
        // date is not also a bad interest date when interest runs from the judgment.
        if (moneyProblem && issue.field.startsWith('components')) continue;
        if (/^components\.\d+\.interestFrom$/.test(issue.field)) {
          if (!r.interest_from) continue;
          mine.push({ line, column: 'interest_from', rule: issue.rule });
          continue;
        }
        mine.push({ line, column: columnOf(issue.field), rule: issue.rule });
      }
    }
    if (r.respondent_agency_id && !agencies.has(r.respondent_agency_id)) mine.push({ line, column: 'respondent_agency_id', rule: `unknown agency ${r.respondent_agency_id}` });
    if (r.advocate_id && !advocates.has(r.advocate_id)) mine.push({ line, column: 'advocate_id', rule: `unknown advocate ${r.advocate_id}` });
    for (const c of ['certificate_issued_on', 'certificate_served_on', 'interest_from'] as const) {
      if (r[c] && !isCalendarDate(r[c])) mine.push({ line, column: c, rule: 'must be a calendar date YYYY-MM-DD' });
    }
    if (r.certificate_served_on && !r.certificate_issued_on) mine.push({ line, column: 'certificate_served_on', rule: 'needs certificate_issued_on' });
    const unique = new Map(mine.map((p) => [`${p.column}|${p.rule}`, p]));
    if (unique.size) { problems.push(...unique.values()); return; }
    const key = claimIdFor(r.court!, r.case_number!);
    if (seen.has(key)) { duplicates.push({ line, firstLine: seen.get(key)! }); return; }
    seen.set(key, line);
    rows.push({ line, order: parsed.data!, certificateIssuedOn: r.certificate_issued_on || undefined, certificateServedOn: r.certificate_served_on || undefined });
  });
  return { rows, problems, duplicates };
}

export interface ImportSummary {
  rowsRead: number;
  imported: number;
  alreadyRegistered: number;
  rejected: number;
  duplicatesInFile: number;
  problems: RowProblem[];
  seconds: number;
}

/** Registers valid rows with at most `concurrency` in flight; reports progress after each. */
export async function importOrders(
  db: Db, claims: ClaimService, csv: string, actor: string,
  opts: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportSummary> {
  const started = Date.now();
  const { rows, problems, duplicates } = await parseOrdersCsv(db, csv);
  let imported = 0; let already = 0; let done = 0; let next = 0;
  const late: RowProblem[] = [];
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      try {
        const { claimId, created, record } = await claims.register(row.order, actor);
        if (created) imported++;
        else already++;
        // Also on a repeat: an import stopped between registration and the certificate steps is completed by the next.
        const recorded = new Set(record.events.map((e) => e.type));
        if (row.certificateIssuedOn && !recorded.has('certificate_issued')) await claims.command(claimId, 'issueCertificate', { actor, issuedOn: row.certificateIssuedOn });
        if (row.certificateServedOn && !recorded.has('certificate_served')) await claims.command(claimId, 'serveCertificate', { actor, servedOn: row.certificateServedOn });
      } catch (err) {
        if (err instanceof InvalidInput) late.push(...err.issues.map((i) => ({ line: row.line, column: columnOf(i.field), rule: i.rule })));
        else if (err instanceof CommandRefused) late.push({ line: row.line, column: err.refusal.field ? columnOf(err.refusal.field) : '(step)', rule: err.refusal.reason });
        else throw err;
      }
      opts.onProgress?.(++done, rows.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 8, 64)) }, worker));
  const all = [...problems, ...late].sort((a, b) => a.line - b.line);
  return {
    rowsRead: rows.length + new Set(problems.map((p) => p.line)).size + duplicates.length,
    imported, alreadyRegistered: already, rejected: new Set(problems.filter((p) => p.line > 1).map((p) => p.line)).size,
    duplicatesInFile: duplicates.length, problems: [...all, ...duplicates.map((d) => ({ line: d.line, column: 'case_number', rule: `same court and case number as line ${d.firstLine}; not imported twice` }))],
    seconds: (Date.now() - started) / 1000,
  };
}
