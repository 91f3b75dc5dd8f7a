/**
 * The import workflow's work: validating a file once and registering its valid rows batch by batch. Every row's
 * outcome is written once (import_rows, keyed on import and line), so a batch retried after a crash registers only
 * the rows not yet done, and registering the same order again changes nothing anyway.
 */
import { Context } from '@temporalio/activity';
import { createClaimService } from '../../api/claims/service';
import { type ParsedRow, type RowProblem, importRow, parseOrdersCsv } from '../../api/import/orders-csv';
import type { Db } from '../../db/connection';
import { type ImportRowOutcome, importFile, linesDone, recordRowOutcomes } from '../../db/imports';
import type { ImportBatchResult, PreparedImport } from '../../workflows/import/messages';

type Parsed = Awaited<ReturnType<typeof parseOrdersCsv>>;

export function createImportActivities(deps: { db: Db }) {
  const { db } = deps;
  // The parsed file, kept for the batches that follow (a worker that restarts parses it again).
  const parsedFiles = new Map<string, Parsed>();

  async function parsed(importId: string): Promise<Parsed> {
    const cached = parsedFiles.get(importId);
    if (cached) return cached;
    const file = await importFile(db, importId);
    if (!file) throw new Error(`no import ${importId}`);
    const result = await parseOrdersCsv(db, file.csv);
    if (parsedFiles.size >= 4) parsedFiles.delete(parsedFiles.keys().next().value!);
    parsedFiles.set(importId, result);
    return result;
  }

  async function prepareImport(input: { importId: string }): Promise<PreparedImport> {
    const { rows, problems, duplicates } = await parsed(input.importId);
    const byLine = new Map<number, RowProblem[]>();
    for (const p of problems) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
    const outcomes: ImportRowOutcome[] = [...byLine].map(([line, mine]) => ({
      line, outcome: line === 1 || mine.some((p) => p.column === '(file)') ? 'header' : 'rejected', claimId: null, problems: mine,
    }));
    outcomes.push(...duplicates.map((d) => ({
      line: d.line, outcome: 'duplicate' as const, claimId: null,
      problems: [{ line: d.line, column: 'case_number', rule: `same court and case number as line ${d.firstLine}; not imported twice` }],
    })));
    for (let i = 0; i < outcomes.length; i += 1000) await recordRowOutcomes(db, input.importId, outcomes.slice(i, i + 1000));
    const rejected = outcomes.filter((o) => o.outcome === 'rejected').length;
    return {
      rowsRead: rows.length + rejected + duplicates.length, toRegister: rows.length, rejected, duplicatesInFile: duplicates.length,
      problems: outcomes.reduce((s, o) => s + o.problems.length, 0),
    };
  }

  async function importBatch(input: { importId: string; actor: string; from: number; count: number }): Promise<ImportBatchResult> {
    const ctx = Context.current();
    const claims = createClaimService({ client: ctx.client, db, taskQueue: ctx.info.taskQueue });
    const slice: ParsedRow[] = (await parsed(input.importId)).rows.slice(input.from, input.from + input.count);
    const done = await linesDone(db, input.importId, slice.map((r) => r.line));
    const todo = slice.filter((r) => !done.has(r.line));
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const row = todo[next++]!;
        // A worker shutting down cancels the batch: registration waits on workflow tasks that worker no longer takes.
        const result = await Promise.race([importRow(claims, row, input.actor, `import:${input.importId}:${row.line}`), ctx.cancelled]);
        await recordRowOutcomes(db, input.importId, [{ line: row.line, outcome: result.outcome, claimId: result.claimId, problems: result.problems }]);
        ctx.heartbeat();
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, todo.length) }, worker));
    // Counted from the record, so a retried batch reports the rows an earlier attempt did too.
    const rows: { outcome: string; problems: unknown[] }[] = await db('import_rows').where({ import_id: input.importId })
      .whereIn('line', slice.map((r) => r.line)).select('outcome', 'problems');
    const count = (o: string) => rows.filter((r) => r.outcome === o).length;
    return {
      done: rows.length, imported: count('imported'), alreadyRegistered: count('already_registered'), rejected: count('rejected'),
      problems: rows.reduce((s, r) => s + r.problems.length, 0),
    };
  }

  return { prepareImport, importBatch };
}
