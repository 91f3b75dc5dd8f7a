/** Errors as application/problem+json (RFC 9457), each naming the fields at fault and the rule they break. */
import type { ErrorRequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import type { FieldIssue } from '../../domain/validation';
import { issuesOf } from '../../domain/validation';
import { ClaimNotFound, CommandRefused, InvalidInput } from '../errors';

export class HttpProblem extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail?: string, readonly errors?: FieldIssue[]) {
    super(detail ?? title);
  }
}

export const notFound = (what = 'resource') => new HttpProblem(404, 'Not Found', `no such ${what}`);

export function sendProblem(res: Response, status: number, title: string, detail?: string, errors?: FieldIssue[]): void {
  res.status(status).type('application/problem+json').json({
    type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}),
  });
}

export function problemHandler(log: { error: (obj: object, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpProblem) return sendProblem(res, err.status, err.title, err.detail, err.errors);
    if (err instanceof InvalidInput) return sendProblem(res, 422, 'Invalid input', err.message, err.issues);
    if (err instanceof ZodError) {
      const issues = issuesOf(err);
      return sendProblem(res, 422, 'Invalid input', issues.map((i) => `${i.field}: ${i.rule}`).join('; '), issues);
    }
    if (err instanceof CommandRefused) {
      const { kind, field, reason } = err.refusal;
      return sendProblem(res, kind === 'invalid' ? 422 : 409, kind === 'invalid' ? 'Invalid input' : 'Conflict', reason,
        field ? [{ field, rule: reason }] : undefined);
    }
    if (err instanceof ClaimNotFound) return sendProblem(res, 404, 'Not Found', 'no such claim');
    if ((err as { type?: string }).type === 'entity.parse.failed') return sendProblem(res, 400, 'Bad Request', 'the body is not valid JSON');
    if ((err as { type?: string }).type === 'entity.too.large') return sendProblem(res, 413, 'Payload Too Large');
    log.error({ err, requestId: req.id }, 'unhandled error');
    return sendProblem(res, 500, 'Internal Server Error', `request ${String(req.id)}`);
  };
}
