import { z } from 'zod';
import { isCalendarDate } from './calendar-date';

/** A problem with one field of an input: the field's path and the rule it breaks. */
export interface FieldIssue {
  field: string;
  rule: string;
}

export const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a calendar date YYYY-MM-DD')
  .refine(isCalendarDate, { message: 'must be a calendar date YYYY-MM-DD' });
export const positiveCents = z.number().int('must be a whole number of cents').positive('must be more than 0')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');
/** Kenya's financial year runs July to June and is written "2024/25". */
export const financialYear = z.string().regex(/^\d{4}\/\d{2}$/, 'must be a financial year like 2024/25')
  .refine((fy) => (Number(fy.slice(0, 4)) + 1) % 100 === Number(fy.slice(5)), 'must name two consecutive years, like 2024/25');
export const nonEmptyText = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.join('.') : '(body)',
    rule: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
}

export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
}
