/**
 * One definition per endpoint: its zod schemas validate the request (strict: unknown fields are refused) and
 * describe it in the OpenAPI document, so the document cannot drift from what the API accepts.
 */
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connection';
import type { UserRole } from '../access/users';
import { requireUser } from './auth';
import { SECRET_FIELD } from './idempotency';
import { HttpProblem } from './problem';

const problem = { description: 'application/problem+json naming each bad field and its rule', content: { 'application/problem+json': { schema: z.object({ title: z.string(), status: z.number().int(), detail: z.string().optional(), errors: z.array(z.object({ field: z.string(), rule: z.string() })).optional() }) } } };

export interface RouteDef<B extends z.ZodTypeAny, Q extends z.ZodTypeAny> {
  method: 'get' | 'post' | 'delete';
  /** Express form, e.g. /api/claims/:id */
  path: string;
  summary: string;
  tag: string;
  /** Empty: public. Otherwise the roles allowed. */
  roles?: UserRole[];
  public?: boolean;
  body?: B;
  /** Default application/json. */
  bodyContentType?: string;
  /** The largest body read (after sign-in). Default 200kb; 16kb on public routes. */
  bodyLimit?: string;
  /** A file as the body (its bytes, one of these types), read after sign-in and scope; the handler gets a Buffer. */
  rawBody?: { types: string[]; limit: string };
  /** The field of the answer that holds a secret: shown once, never kept for an Idempotency-Key replay. */
  secretField?: string;
  /** Further problem statuses this route answers, with what they mean (documented in OpenAPI). */
  problems?: Record<number, string>;
  query?: Q;
  /** Runs after sign-in and before the body is validated: resource scoping, so a 404 comes before any 422. */
  authorize?: (req: Request) => Promise<void>;
  /**
   * Success status and a description of what comes back. `contentTypes` lists every media type the route can answer
   * with (chosen by Accept through {@link negotiate}; the first is the default): each is documented, and 406 too.
   */
  success?: { status: number; description: string; contentType?: string; contentTypes?: string[] };
  handler: (req: Request & { valid: { body: z.output<B>; query: z.output<Q> } }, res: Response) => Promise<unknown>;
}

export interface RouteContext {
  router: Router;
  registry: OpenAPIRegistry;
  db: Db;
  /** Runs after authentication (idempotency keys belong to a user). */
  afterAuth: RequestHandler[];
}

export function defineRoute<B extends z.ZodTypeAny = z.ZodUndefined, Q extends z.ZodTypeAny = z.ZodUndefined>(
  ctx: RouteContext, def: RouteDef<B, Q>,
): void {
  const { router, registry, db } = ctx;
  const openapiPath = def.path.replace(/:(\w+)/g, '{$1}');
  const params = [...def.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const success = def.success ?? { status: 200, description: 'OK' };
  const types = success.contentTypes ?? [success.contentType ?? 'application/json'];
  const responses: RouteConfig['responses'] = {
    [success.status]: {
      description: success.description,
      content: Object.fromEntries(types.map((t) => [t, { schema: schemaOf(t) }])),
    },
    404: { ...problem, description: 'not found (or not yours)' },
    422: problem,
  };
  if (!def.public) Object.assign(responses, { 401: problem, 403: problem });
  if (types.length > 1) Object.assign(responses, { 406: { ...problem, description: `the Accept header allows none of ${types.join(', ')}` } });
  if (def.method === 'post') Object.assign(responses, { 409: problem });
  if (def.body || def.rawBody) {
    Object.assign(responses, {
      400: { ...problem, description: 'the body is not valid JSON, or is cut off' },
      413: { ...problem, description: 'the body is too large' },
      415: { ...problem, description: 'wrong Content-Type, charset or Content-Encoding' },
    });
  }
  for (const [status, description] of Object.entries(def.problems ?? {})) responses[status] = { ...problem, description };
  registry.registerPath({
    method: def.method, path: openapiPath, summary: def.summary, tags: [def.tag],
    ...(def.public ? {} : { security: [{ bearer: [] }] }),
    request: {
      ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string().min(1).max(200)]))) } : {}),
      ...(def.query ? { query: def.query as unknown as z.AnyZodObject } : {}),
      ...(def.body ? { body: { required: true, content: { [def.bodyContentType ?? 'application/json']: { schema: def.body } } } } : {}),
      ...(def.rawBody ? { body: { required: true, content: Object.fromEntries(def.rawBody.types.map((t) => [t, { schema: { type: 'string' as const, format: 'binary' } }])) } } : {}),
      ...(def.method === 'post' && !def.public ? { headers: z.object({ 'idempotency-key': z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/).optional() }) } : {}),
    },
    responses,
  });
  // Sign-in and scope come before the body is read, so nobody can make the API read a large body unauthenticated.
  const handlers: RequestHandler[] = [];
  if (!def.public) handlers.push(requireUser(db, ...(def.roles ?? [])));
  const authorize = def.authorize;
  if (authorize) handlers.push(async (req, _res, next) => { await authorize(req); next(); });
  if (def.body) handlers.push(bodyReader(def.bodyContentType ?? 'application/json', def.bodyLimit ?? (def.public ? '16kb' : '200kb')));
  if (def.rawBody) handlers.push(rawReader(def.rawBody.types, def.rawBody.limit));
  if (!def.public) handlers.push(...ctx.afterAuth);
  handlers.push(async (req, res) => {
    if (def.secretField) res.locals[SECRET_FIELD] = def.secretField;
    const body = def.body ? def.body.parse(req.body ?? {}) : undefined;
    const query = def.query ? def.query.parse(req.query) : undefined;
    (req as Request & { valid: unknown }).valid = { body, query };
    const result = await def.handler(req as never, res);
    if (!res.headersSent) res.status((res.locals.status as number | undefined) ?? success.status).json(result);
  });
  router[def.method](def.path, ...handlers);
}

/** What a success answer of a media type looks like in the document: JSON objects, CSV text, binary PDF. */
function schemaOf(type: string): z.ZodTypeAny {
  if (type === 'text/csv') return z.string();
  if (type === 'application/pdf') return z.string().openapi({ format: 'binary' });
  return z.object({}).passthrough();
}

/**
 * The media type to answer with, from the Accept header (no header, or any type: the first offered). None acceptable:
 * 406 naming what is offered.
 */
export function negotiate(req: Request, offered: string[]): string {
  const chosen = req.accepts(offered);
  if (!chosen) {
    throw new HttpProblem(406, 'Not Acceptable', `this answers with ${offered.join(', ')}`, [{ field: 'Accept', rule: `must allow one of ${offered.join(', ')}` }]);
  }
  return chosen;
}

/** Reads a body of one content type, up to a limit; a body of another type is refused (415) rather than ignored. */
function bodyReader(type: string, limit: string): RequestHandler {
  const read = type === 'text/csv' ? express.text({ type, limit }) : express.json({ type, limit });
  return (req, res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is(type)) {
      return next(new HttpProblem(415, 'Unsupported Media Type', `send the body as ${type}`, [{ field: 'Content-Type', rule: `must be ${type}` }]));
    }
    read(req, res, next);
  };
}

/** Reads a file body of one of `types`; anything else is refused (415), an empty body too (422). */
function rawReader(types: string[], limit: string): RequestHandler {
  const read = express.raw({ type: types, limit });
  return (req, res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return next(new HttpProblem(422, 'Invalid input', 'the file is empty', [{ field: '(body)', rule: 'must not be empty' }]));
    if (!req.is(types)) {
      return next(new HttpProblem(415, 'Unsupported Media Type', `send the file as one of ${types.join(', ')}`, [{ field: 'Content-Type', rule: `must be one of ${types.join(', ')}` }]));
    }
    read(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) return next(new HttpProblem(422, 'Invalid input', 'the file is empty', [{ field: '(body)', rule: 'must not be empty' }]));
      next();
    });
  };
}

/** A path parameter as a string (express 5 types allow arrays for wildcards; these routes have none). */
export function param(req: Request, name: string): string {
  return String(req.params[name]);
}
