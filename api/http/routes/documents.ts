/**
 * A claim's documents (decree, certificate of order, payment vouchers, and, for referrals, assessment reports shared
 * only with consent) and the reminders sent for it. Each file's SHA-256 enters the claim's chain before the file is
 * kept; every download is logged as a read of personal data, before the bytes are sent.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DOCUMENT_KINDS } from '../../../domain/claim';
import { logPersonalDataRead } from '../../../db/personal-data-reads';
import type { ClaimService } from '../../claims/service';
import { DOCUMENT_MAX_BYTES, DOCUMENT_TYPES, type DocumentStore, type DocumentStores, postgresDocumentStore } from '../../documents/store';
import { claimScope } from '../claim-scope';
import { HttpProblem, notFound } from '../problem';
import { type RouteContext, defineRoute, param } from '../route';

const READERS = ['administrator', 'advocate', 'auditor', 'provider'] as const;
const WRITERS = ['administrator', 'advocate'] as const;

/**
 * `store` keeps new documents (PostgreSQL unless another is given); `readers` are the other stores that rows written
 * under an earlier setting may name, so switching the setting leaves every document downloadable.
 */
export function documentRoutes(ctx: RouteContext, services: { claims: ClaimService; store?: DocumentStore; readers?: DocumentStores }) {
  const { db } = ctx;
  const store = services.store ?? postgresDocumentStore;
  const stores: DocumentStores = { postgres: postgresDocumentStore, ...services.readers, [store.name]: store };

  defineRoute(ctx, {
    method: 'post', path: '/api/claims/:id/documents', tag: 'documents', roles: [...READERS], authorize: claimScope(db, WRITERS),
    summary: `Attach a document (PDF, PNG or JPEG, at most ${DOCUMENT_MAX_BYTES / 1024 / 1024} MB; administrator, advocate): its SHA-256 enters the claim's chain`,
    rawBody: { types: Object.keys(DOCUMENT_TYPES), limit: `${DOCUMENT_MAX_BYTES}b` },
    query: z.object({
      kind: z.enum(DOCUMENT_KINDS),
      filename: z.string().trim().min(1).max(200).regex(/^[^/\\\u0000-\u001f]+$/, 'must be a file name without slashes or control characters'),
      referralId: z.string().min(1).max(200).optional(),
    }).strict(),
    success: { status: 201, description: 'the document, with its SHA-256 and the chain event that records it' },
    handler: async (req) => {
      const claimId = param(req, 'id');
      const bytes = req.body as Buffer;
      const contentType = req.get('content-type')!.split(';')[0]!.trim().toLowerCase();
      if (!DOCUMENT_TYPES[contentType]?.(bytes)) throw new HttpProblem(422, 'Invalid input', `the file is not a ${contentType}`, [{ field: '(body)', rule: `must be a ${contentType} file` }]);
      const { kind, filename, referralId } = req.valid.query;
      if ((kind === 'assessment_report') !== Boolean(referralId)) {
        throw new HttpProblem(422, 'Invalid input', 'referralId goes with an assessment report, and only with one', [{ field: 'referralId', rule: 'is required for assessment_report, and only for it' }]);
      }
      if (referralId) {
        const consent = await db('referral_priority').join('referrals', 'referrals.id', 'referral_priority.referral_id')
          .where({ referral_id: referralId, 'referrals.claim_id': claimId }).first('share_assessment');
        if (!consent) throw notFound('referral');
        if (!consent.share_assessment) throw new HttpProblem(409, 'Conflict', 'the survivor did not consent to the assessment being shared; it is not kept here', [{ field: 'referralId', rule: 'has no consent to share the assessment' }]);
      }
      const documentId = randomUUID();
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      // The bytes first: a store that is down refuses the upload before the chain records a document it does not
      // hold. Then the chain, then the row (a row never lacks its chain event or its bytes; see s3-store.ts).
      const { content } = await store.put(documentId, bytes);
      let sequence: number;
      try {
        ({ sequence } = await services.claims.command(claimId, 'recordDocument', {
          actor: req.user!.id, documentId, kind, sha256, sizeBytes: bytes.length, ...(referralId ? { referralId } : {}),
        }));
      } catch (err) {
        // A refused document leaves nothing behind: no personal file kept for a claim that did not take it.
        await store.remove(documentId).catch((removeErr: unknown) => req.log.error({ err: removeErr, documentId }, 'a refused document could not be removed from its store'));
        throw err;
      }
      await db('claim_documents').insert({
        id: documentId, claim_id: claimId, referral_id: referralId ?? null, kind, filename, content_type: contentType, size_bytes: bytes.length,
        sha256, storage: store.name, content, uploaded_by: req.user!.id,
      });
      return { id: documentId, kind, filename, contentType, sizeBytes: bytes.length, sha256, eventSequence: sequence };
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/claims/:id/documents', tag: 'documents', roles: [...READERS], authorize: claimScope(db, READERS),
    summary: "The claim's documents (without their bytes)",
    handler: async (req) => ({
      items: (await db('claim_documents').where({ claim_id: param(req, 'id') }).orderBy('uploaded_at')
        .select('id', 'kind', 'filename', 'content_type', 'size_bytes', 'sha256', 'referral_id', 'uploaded_by', 'uploaded_at'))
        .map((d) => ({
          id: d.id, kind: d.kind, filename: d.filename, contentType: d.content_type, sizeBytes: d.size_bytes, sha256: d.sha256,
          referralId: d.referral_id, uploadedBy: d.uploaded_by, uploadedAt: new Date(d.uploaded_at).toISOString(),
        })),
    }),
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/claims/:id/documents/:documentId', tag: 'documents', roles: [...READERS], authorize: claimScope(db, READERS),
    summary: 'Download a document (logged as a read of personal data)', success: { status: 200, description: 'the file', contentType: 'application/octet-stream' },
    handler: async (req, res) => {
      const documentId = param(req, 'documentId');
      if (!/^[0-9a-f-]{36}$/.test(documentId)) throw notFound('document');
      const row = await db('claim_documents').where({ id: documentId, claim_id: param(req, 'id') }).first('id', 'kind', 'filename', 'content_type', 'sha256', 'storage');
      if (!row) throw notFound('document');
      const from = stores[row.storage as DocumentStore['name']];
      if (!from) throw new HttpProblem(503, 'Service Unavailable', `the document is kept in the ${String(row.storage)} store, which this API is not configured to read`);
      const bytes = await from.get(db, documentId);
      if (!bytes) throw notFound('document');
      // Bytes that do not hash to the SHA-256 in the claim's chain were altered where they are kept: never served.
      if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) {
        req.log.error({ documentId, storage: row.storage }, 'a document does not match its recorded SHA-256; not served');
        throw new HttpProblem(500, 'Internal Server Error', "the stored file does not match the SHA-256 recorded in the claim's chain; it is not served");
      }
      // Logged before anything is sent: a read that cannot be logged is not served.
      await logPersonalDataRead(db, { userId: req.user!.id, claimId: param(req, 'id'), what: 'document download', details: { documentId, kind: row.kind, sha256: row.sha256 } });
      res.status(200).type(row.content_type).set({
        'Content-Disposition': `attachment; filename="${String(row.filename).replace(/[^A-Za-z0-9._ -]/g, '_')}"`, 'X-Content-SHA256': row.sha256, 'Cache-Control': 'no-store',
      }).send(bytes);
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/claims/:id/reminders', tag: 'claims', roles: [...READERS], authorize: claimScope(db, READERS),
    summary: 'The reminders sent for the claim: to whom (roles and addresses), when, and whether they were delivered',
    handler: async (req) => ({
      items: (await db('reminders').where({ claim_id: param(req, 'id') }).orderBy('id')
        .select('id', 'deadline_key', 'kind', 'level', 'occurrence', 'status', 'recipients', 'missing_roles', 'smtp_response', 'content', 'created_at', 'sent_at'))
        .map((r) => ({
          id: String(r.id), deadlineKey: r.deadline_key, kind: r.kind, level: r.level, occurrence: r.occurrence, status: r.status,
          to: r.content.to, cc: r.content.cc, recipients: r.recipients ?? [], missingRoles: r.missing_roles ?? [],
          serverReply: r.status === 'undeliverable' ? r.smtp_response : null, dueDate: r.content.dueDate, daysOverdue: r.content.daysOverdue,
          queuedAt: new Date(r.created_at).toISOString(), sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
        })),
    }),
  });
}
