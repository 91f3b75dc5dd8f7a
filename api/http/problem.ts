/** Errors as application/problem+json (RFC 9457), each naming the fields at fault and the rule they break. */
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { ZodError } from 'zod';
import type { FieldIssue } from '../../domain/validation';
import { issuesOf } from '../../domain/validation';
import { ClaimNotFound, CommandRefused, IncidentNotFound, InvalidInput } from '../errors';

export class HttpProblem extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail?: string, readonly errors?: FieldIssue[]) {
    super(detail ?? title);
  }
}

export const notFound = (what = 'resource') => new HttpProblem(404, 'Not Found', `no such ${what}`);

export function sendProblem(res: Response, status: number, title: string, detail?: string, errors?: FieldIssue[], extensions?: Record<string, unknown>): void {
  res.status(status).type('application/problem+json').json({
    type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}), ...extensions,
  });
}

type BodyError = { status?: number; statusCode?: number; type?: string; limit?: number; charset?: string; encoding?: string; expose?: boolean; message?: string };

/**
 * A request whose body or encoding is wrong (errors of body-parser and http-errors), as a 4xx naming the part at
 * fault; null for anything else.
 */
function requestProblem(err: BodyError): HttpProblem | null {
  const status = err.status ?? err.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  const issue = (field: string, rule: string) => [{ field, rule }];
  switch (err.type) {
    case 'entity.parse.failed': return new HttpProblem(400, 'Bad Request', 'the body is not valid JSON', issue('(body)', 'must be valid JSON (an object)'));
    case 'entity.too.large': return new HttpProblem(413, 'Payload Too Large', `the body is larger than ${err.limit} bytes`, issue('(body)', `must be at most ${err.limit} bytes`));
    case 'charset.unsupported': return new HttpProblem(415, 'Unsupported Media Type', `the charset ${String(err.charset)} is not accepted here`, issue('Content-Type', 'charset must be utf-8'));
    case 'encoding.unsupported': return new HttpProblem(415, 'Unsupported Media Type', `the content encoding ${String(err.encoding)} is not accepted`, issue('Content-Encoding', 'must be identity, gzip, deflate or br'));
    case 'request.size.invalid': return new HttpProblem(400, 'Bad Request', 'the body is not as long as its Content-Length says', issue('Content-Length', 'must match the body'));
    case 'request.aborted': return new HttpProblem(400, 'Bad Request', 'the body was cut off');
    default:
      // A compressed body that does not decompress (zlib), a malformed path and the like.
      return new HttpProblem(status, STATUS_CODES[status] ?? 'Bad Request', err.expose !== false && err.message ? err.message : undefined);
  }
}

/** An unread body is not drained: the connection closes after the answer (authentication before any large body). */
function closeIfBodyUnread(req: Request, res: Response): void {
  if (!req.complete && !res.headersSent) res.set('Connection', 'close');
}

export function problemHandler(log: { error: (obj: object, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    closeIfBodyUnread(req, res);
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
    if (err instanceof IncidentNotFound) return sendProblem(res, 404, 'Not Found', 'no such incident');
    const bad = requestProblem(err as BodyError);
    if (bad) return sendProblem(res, bad.status, bad.title, bad.detail, bad.errors);
    log.error({ err, requestId: req.id }, 'unhandled error');
    return sendProblem(res, 500, 'Internal Server Error', `request ${String(req.id)}`);
  };
}
