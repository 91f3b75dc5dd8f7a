/** Messages of the bench workflows, shared with bench/run.ts without loading workflow code into it. */
import { defineUpdate } from '@temporalio/workflow';

export const readyUpdate = defineUpdate<void>('ready');
