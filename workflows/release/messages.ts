/** The release workflow's input and result, shared by the worker, the schedule and the API. */
export interface BuildReleaseInput {
  /** Unique per request (the workflow id): a retried build finds the release it already published. */
  requestKey: string;
  trigger: 'schedule' | 'administrator';
  requestedBy?: string;
}

export type BuildReleaseResult =
  | { outcome: 'published'; number: number; publishedAt: string; asOf: string; claims: number }
  | { outcome: 'skipped'; number: number; reason: string };

export const RELEASE_SCHEDULE_ID = 'redress-release';
export const releaseWorkflowId = (requestId: string) => `release-${requestId}`;
