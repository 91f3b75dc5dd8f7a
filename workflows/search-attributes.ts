/**
 * The search attributes claim and referral workflows keep current, so operators can list, in the Temporal UI or
 * with `temporal workflow list --query`, e.g. "every claim of agency X at level 3". None is personal data: a stage,
 * an agency id, a level, a flag and a date. Each is registered in the namespace before a worker runs
 * (worker/search-attributes.ts); a workflow that upserts an unregistered one fails its task.
 */
import type { upsertSearchAttributes } from '@temporalio/workflow';

type UpdatePair = Extract<Parameters<typeof upsertSearchAttributes>[0], unknown[]>[number];
type Key<T extends UpdatePair['key']['type']> = { name: string; type: T };

export const STAGE: Key<'KEYWORD'> = { name: 'RedressStage', type: 'KEYWORD' };
export const RESPONDENT_AGENCY: Key<'KEYWORD'> = { name: 'RedressRespondentAgency', type: 'KEYWORD' };
/** The highest rung reached on any open deadline's ladder; -1 before the first reminder. */
export const ESCALATION_LEVEL: Key<'INT'> = { name: 'RedressEscalationLevel', type: 'INT' };
export const STAYED: Key<'BOOL'> = { name: 'RedressStayed', type: 'BOOL' };
/** When the earliest open deadline lapses; unset when none is open. */
export const NEXT_DEADLINE: Key<'DATETIME'> = { name: 'RedressNextDeadline', type: 'DATETIME' };

export const SEARCH_ATTRIBUTE_KEYS = [STAGE, RESPONDENT_AGENCY, ESCALATION_LEVEL, STAYED, NEXT_DEADLINE] as const;
