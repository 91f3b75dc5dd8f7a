/** Imports as durable work: each file, and each of its rows' outcome once (import_rows is append-only). */
import type { Db } from './connection';

export interface ImportRowOutcome {
  line: number;
  outcome: 'imported' | 'already_registered' | 'rejected' | 'duplicate' | 'header';
  claimId: string | null;
  problems: { line: number; column: string; rule: string }[];
}

export async function insertImport(db: Db, row: { id: string; sha256: string; csv: string; createdBy: string }): Promise<void> {
  await db('imports').insert({ id: row.id, sha256: row.sha256, csv: row.csv, created_by: row.createdBy });
}

export async function importFile(db: Db, importId: string): Promise<{ csv: string; createdBy: string; createdAt: string } | null> {
  const row = await db('imports').where({ id: importId }).first('csv', 'created_by', 'created_at');
  return row ? { csv: row.csv, createdBy: row.created_by, createdAt: new Date(row.created_at).toISOString() } : null;
}

/** Writes outcomes; one already written (a retried batch) stays as it was. */
export async function recordRowOutcomes(db: Db, importId: string, rows: ImportRowOutcome[]): Promise<void> {
  if (!rows.length) return;
  await db('import_rows').insert(rows.map((r) => ({ import_id: importId, line: r.line, outcome: r.outcome, claim_id: r.claimId, problems: JSON.stringify(r.problems) })))
    .onConflict(['import_id', 'line']).ignore();
}

export async function linesDone(db: Db, importId: string, lines: number[]): Promise<Set<number>> {
  if (!lines.length) return new Set();
  return new Set(await db('import_rows').where({ import_id: importId }).whereIn('line', lines).pluck('line'));
}

export interface ImportCounts { imported: number; alreadyRegistered: number; rejected: number; duplicatesInFile: number; problems: number }

export async function importCounts(db: Db, importId: string): Promise<ImportCounts> {
  const rows: { outcome: string; n: string; p: string }[] = await db('import_rows').where({ import_id: importId }).groupBy('outcome')
    .select('outcome', db.raw('count(*) AS n'), db.raw('sum(jsonb_array_length(problems)) AS p'));
  const n = (o: string) => Number(rows.find((r) => r.outcome === o)?.n ?? 0);
  return {
    imported: n('imported'), alreadyRegistered: n('already_registered'), rejected: n('rejected'), duplicatesInFile: n('duplicate'),
    problems: rows.reduce((s, r) => s + Number(r.p ?? 0), 0),
  };
}

/** Every problem of an import, by line (the header's first). */
export async function importProblems(db: Db, importId: string, limit = 100_000): Promise<{ line: number; column: string; rule: string }[]> {
  const rows: { problems: { line: number; column: string; rule: string }[] }[] = await db('import_rows').where({ import_id: importId })
    .whereRaw("jsonb_array_length(problems) > 0").orderBy('line').limit(limit).select('problems');
  return rows.flatMap((r) => r.problems);
}
