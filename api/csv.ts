/**
 * Every CSV Redress writes goes through here. A text cell that a spreadsheet would run as a formula (one starting
 * with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, so a court or agency name cannot
 * become a live formula on a reader's machine (OWASP's CSV injection advice). Numbers are written as numbers.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function toCsv(rows: Record<string, unknown>[], columns: string[]): string {
  return stringify(rows, {
    header: true, columns, record_delimiter: 'unix',
    cast: { string: (value) => neutraliseCell(value), object: (value) => neutraliseCell(JSON.stringify(value)) },
  });
}
