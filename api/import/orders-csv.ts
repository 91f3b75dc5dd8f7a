/**
 * Legacy court orders from CSV: every row is validated first and reported by line, column and rule; only valid
 * rows are registered (a bounded number at a time); registering the same court and case number again imports
 * nothing twice. Columns are documented in docs/import.md; a sample is docs/sample-orders.csv.
 */
import { parse } from 'csv-parse/sync';
import { type AnyCommand, type CourtOrder, type ClaimState, courtOrderSchema, claimIdFor } from '../../domain/claim';
import { type CalendarDate, compareDates, isCalendarDate } from '../../domain/calendar-date';
import { financialYear as financialYearSchema, issuesOf } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { stateFromRecord } from '../../db/claims';
import type { ClaimService } from '../claims/service';
import { CommandRefused, InvalidInput } from '../errors';

export const ORDER_COLUMNS = [
  'court', 'case_number', 'judgment_date', 'costs_taxed_on', 'respondent_agency_id', 'survivor_ref', 'violation_types',
  'advocate_id', 'general_damages_kes', 'special_damages_kes', 'costs_kes', 'interest_rate_percent', 'interest_from',
  'certificate_issued_on', 'certificate_served_on', 'allocations', 'tranches', 'stays',
] as const;
const REQUIRED = ['court', 'case_number', 'judgment_date', 'respondent_agency_id', 'survivor_ref', 'violation_types', 'advocate_id', 'general_damages_kes'];

export interface RowProblem { line: number; column: string; rule: string }
/** A legacy order's known history, entered as the steps it records (in date order) right after registration. */
export interface LegacyHistory {
  certificateIssuedOn?: CalendarDate;
  certificateServedOn?: CalendarDate;
  allocations: { amountCents: number; allocatedOn: CalendarDate; budgetLine: string; financialYear: string }[];
  tranches: { paymentReference: string; amountCents: number; paidOn: CalendarDate; receivedOn?: CalendarDate }[];
  stays: { grantedOn: CalendarDate; liftedOn?: CalendarDate; reason: string }[];
}
export interface ParsedRow { line: number; order: CourtOrder; history: LegacyHistory }

/**
 * "700,000.50" (shillings) to cents, exactly, from the decimal text (never through a float); null when it is not an
 * amount: exponents (1e6), hexadecimal (0x10), signs and more than two decimals are refused.
 */
export function shillingsToCents(text: string): number | null {
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const cents = BigInt(m[1]!.replace(/,/g, '')) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  return cents <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cents) : null;
}

/** "1.15" (percent a year) to 115 basis points, exactly from the decimal text; null for anything else (1e1, 0x0C, 12.345, -1). */
export function percentToBasisPoints(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
  return bp <= 10_000 ? bp : null;
}

/** Entries of a multi-valued history column: `a|b|c; a|b|c`. */
function entries(text: string | undefined): string[][] {
  return (text ?? '').split(';').map((e) => e.trim()).filter(Boolean).map((e) => e.split('|').map((f) => f.trim()));
}

/** Parses the history columns of one row; each problem names its column and entry. */
export function parseHistory(r: Record<string, string>, line: number, mine: RowProblem[]): LegacyHistory {
  const date = (column: string, value: string | undefined, what: string, optional = false): string | undefined => {
    if (!value) { if (!optional) mine.push({ line, column, rule: `${what} is required` }); return undefined; }
    if (!isCalendarDate(value)) { mine.push({ line, column, rule: `${what} must be a calendar date YYYY-MM-DD` }); return undefined; }
    return value;
  };
  const amount = (column: string, value: string | undefined, what: string) => {
    const cents = value ? shillingsToCents(value) : null;
    if (cents === null || cents === 0) mine.push({ line, column, rule: `${what} must be an amount in shillings above 0, like 250000 or 150,110.50` });
    return cents ?? 0;
  };
  const allocations = entries(r.allocations).map((f, i) => {
    const what = `allocation ${i + 1}`;
    if (f.length !== 4) mine.push({ line, column: 'allocations', rule: `${what} must be amount|allocated_on|budget_line|financial_year` });
    const fy = f[3] ?? '';
    if (f.length === 4 && !financialYearSchema.safeParse(fy).success) mine.push({ line, column: 'allocations', rule: `${what}: financial year must be like 2024/25` });
    if (f.length === 4 && !f[2]) mine.push({ line, column: 'allocations', rule: `${what}: budget line is required` });
    return { amountCents: amount('allocations', f[0], what), allocatedOn: date('allocations', f[1], `${what}: allocated_on`) ?? '', budgetLine: f[2] ?? '', financialYear: fy };
  });
  const tranches = entries(r.tranches).map((f, i) => {
    const what = `tranche ${i + 1}`;
    if (f.length < 3 || f.length > 4) mine.push({ line, column: 'tranches', rule: `${what} must be payment_reference|amount|paid_on[|received_on]` });
    if (!/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/.test(f[0] ?? '')) mine.push({ line, column: 'tranches', rule: `${what}: payment reference must be 1-64 letters, digits or / _ . -` });
    const receivedOn = date('tranches', f[3], `${what}: received_on`, true);
    return { paymentReference: f[0] ?? '', amountCents: amount('tranches', f[1], what), paidOn: date('tranches', f[2], `${what}: paid_on`) ?? '', ...(receivedOn ? { receivedOn } : {}) };
  });
  const stays = entries(r.stays).map((f, i) => {
    const what = `stay ${i + 1}`;
    if (f.length !== 3) mine.push({ line, column: 'stays', rule: `${what} must be granted_on|lifted_on|reason (lifted_on empty while it runs)` });
    if (f.length === 3 && !f[2]) mine.push({ line, column: 'stays', rule: `${what}: reason is required` });
    const liftedOn = date('stays', f[1], `${what}: lifted_on`, true);
    return { grantedOn: date('stays', f[0], `${what}: granted_on`) ?? '', ...(liftedOn ? { liftedOn } : {}), reason: f[2] ?? '' };
  });
  return {
    ...(r.certificate_issued_on ? { certificateIssuedOn: r.certificate_issued_on } : {}),
    ...(r.certificate_served_on ? { certificateServedOn: r.certificate_served_on } : {}),
    allocations, tranches, stays,
  };
}

/** The order in which steps of one day are entered: a lift before the day's steps, a stay after them. */
const DAY_ORDER: AnyCommand['name'][] = ['liftStay', 'issueCertificate', 'serveCertificate', 'allocateBudget', 'recordTranche', 'confirmReceipt', 'grantStay'];

/** The history's steps not yet in the claim's record, as commands in date order (so a repeat completes, never repeats). */
export function historySteps(h: LegacyHistory, state: ClaimState, recordedStays: { grantedOn: string; liftedOn?: string }[], actor: string): AnyCommand[] {
  const steps: { on: CalendarDate; command: AnyCommand }[] = [];
  const add = (on: CalendarDate, command: AnyCommand) => steps.push({ on, command });
  if (h.certificateIssuedOn && !state.certificate.issuedOn) add(h.certificateIssuedOn, { name: 'issueCertificate', input: { actor, issuedOn: h.certificateIssuedOn } });
  if (h.certificateServedOn && !state.certificate.servedOn) add(h.certificateServedOn, { name: 'serveCertificate', input: { actor, servedOn: h.certificateServedOn } });
  for (const a of h.allocations) {
    const known = state.allocations.some((x) => x.amountCents === a.amountCents && x.allocatedOn === a.allocatedOn && x.budgetLine === a.budgetLine);
    if (!known) add(a.allocatedOn, { name: 'allocateBudget', input: { actor, ...a } });
  }
  for (const t of h.tranches) {
    const known = state.tranches.find((x) => x.paymentReference === t.paymentReference);
    if (!known) add(t.paidOn, { name: 'recordTranche', input: { actor, paymentReference: t.paymentReference, amountCents: t.amountCents, paidOn: t.paidOn } });
    if (t.receivedOn && !known?.receivedOn) add(t.receivedOn, { name: 'confirmReceipt', input: { actor, paymentReference: t.paymentReference, receivedOn: t.receivedOn } });
  }
  for (const s of h.stays) {
    const known = recordedStays.find((x) => x.grantedOn === s.grantedOn);
    if (!known) add(s.grantedOn, { name: 'grantStay', input: { actor, grantedOn: s.grantedOn, reason: s.reason } });
    if (s.liftedOn && !known?.liftedOn) add(s.liftedOn, { name: 'liftStay', input: { actor, liftedOn: s.liftedOn } });
  }
  return steps.map((s, i) => ({ ...s, i }))
    .sort((a, b) => compareDates(a.on, b.on) || DAY_ORDER.indexOf(a.command.name) - DAY_ORDER.indexOf(b.command.name) || a.i - b.i)
    .map((s) => s.command);
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
    const rateBasisPoints = r.interest_rate_percent ? percentToBasisPoints(r.interest_rate_percent) : 1200;
    if (rateBasisPoints === null) {
      mine.push({ line, column: 'interest_rate_percent', rule: 'must be a percentage from 0 to 100 with at most two decimals, like 12 or 1.15 (no exponent or hexadecimal)' });
    }
    const from = r.interest_from || r.judgment_date || '';
    const components = [
      ['General damages', money('general_damages_kes')], ['Special damages', money('special_damages_kes')], ['Costs', money('costs_kes')],
    ].filter(([, c]) => c !== undefined && c !== 0).map(([label, amountCents]) => ({ label, amountCents, rateBasisPoints: rateBasisPoints ?? 1200, interestFrom: from }));
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
    const history = parseHistory(r, line, mine);
    const unique = new Map(mine.map((p) => [`${p.column}|${p.rule}`, p]));
    if (unique.size) { problems.push(...unique.values()); return; }
    const key = claimIdFor(r.court!, r.case_number!);
    if (seen.has(key)) { duplicates.push({ line, firstLine: seen.get(key)! }); return; }
    seen.set(key, line);
    rows.push({ line, order: parsed.data!, history });
  });
  return { rows, problems, duplicates };
}

export type RowOutcome = { outcome: 'imported' | 'already_registered'; claimId: string; problems: RowProblem[] } | { outcome: 'rejected'; claimId: string | null; problems: RowProblem[] };

/**
 * Registers one row and enters its known history. Also on a repeat: an import stopped between registration and the
 * history steps is completed by the next run. A step the claim refuses is reported at its line; the claim stays.
 */
export async function importRow(claims: ClaimService, row: ParsedRow, actor: string, registrationId?: string): Promise<RowOutcome> {
  try {
    const { claimId, created, record } = await claims.register(row.order, actor, registrationId ? { registrationId } : {});
    const problems: RowProblem[] = [];
    const stays: { grantedOn: string; liftedOn?: string }[] = [];
    for (const e of record.events) {
      if (e.type === 'stay_granted') stays.push({ grantedOn: (e.payload as { grantedOn: string }).grantedOn });
      if (e.type === 'stay_lifted' && stays.length) stays[stays.length - 1]!.liftedOn = (e.payload as { liftedOn: string }).liftedOn;
    }
    for (const step of historySteps(row.history, stateFromRecord(record), stays, actor)) {
      try {
        await claims.command(claimId, step.name, step.input as never);
      } catch (err) {
        if (!(err instanceof CommandRefused)) throw err;
        problems.push({ line: row.line, column: HISTORY_COLUMN[step.name] ?? '(step)', rule: `${step.name}: ${err.refusal.reason}` });
      }
    }
    return { outcome: created ? 'imported' : 'already_registered', claimId, problems };
  } catch (err) {
    if (err instanceof InvalidInput) return { outcome: 'rejected', claimId: null, problems: err.issues.map((i) => ({ line: row.line, column: columnOf(i.field), rule: i.rule })) };
    if (err instanceof CommandRefused) return { outcome: 'rejected', claimId: null, problems: [{ line: row.line, column: err.refusal.field ? columnOf(err.refusal.field) : '(step)', rule: err.refusal.reason }] };
    throw err;
  }
}

const HISTORY_COLUMN: Partial<Record<AnyCommand['name'], string>> = {
  issueCertificate: 'certificate_issued_on', serveCertificate: 'certificate_served_on', allocateBudget: 'allocations',
  recordTranche: 'tranches', confirmReceipt: 'tranches', grantStay: 'stays', liftStay: 'stays',
};

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
      const result = await importRow(claims, row, actor);
      if (result.outcome === 'imported') imported++;
      else if (result.outcome === 'already_registered') already++;
      late.push(...result.problems);
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
