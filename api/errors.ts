/** Errors the services raise, each mapped to one HTTP status by the API. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Refusal } from '../domain/claim';
import type { TrackRefusal } from '../domain/incident/track';
import type { FieldIssue } from '../domain/validation';

/** The input breaks a rule of its shape; each issue names its field (HTTP 422). */
export class InvalidInput extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.rule}`).join('; '));
    this.name = 'InvalidInput';
  }
}

/** The claim refused the command, with its reason (HTTP 422 for `invalid`, 409 for `conflict`). */
export class CommandRefused extends Error {
  constructor(readonly refusal: Refusal | TrackRefusal) {
    super(refusal.reason);
    this.name = 'CommandRefused';
  }
}

export class ClaimNotFound extends Error {
  constructor(readonly claimId: string) {
    super(`no claim ${claimId}`);
    this.name = 'ClaimNotFound';
  }
}

export class IncidentNotFound extends Error {
  constructor(readonly incidentId: string) {
    super(`no incident ${incidentId}`);
    this.name = 'IncidentNotFound';
  }
}

/** The workflow's refusal inside a failed Update (an ApplicationFailure of the given type), or null. */
export function refusalFromUpdate(err: unknown, failureType: string): CommandRefused | null {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === failureType) {
    return new CommandRefused(err.cause.details?.[0] as Refusal);
  }
  return null;
}
