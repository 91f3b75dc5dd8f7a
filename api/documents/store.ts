/**
 * Where the bytes of a document are kept. PostgreSQL by default (in the document's own row, so the record and its
 * files are backed up together); an S3-compatible store by setting (api/documents/s3-store.ts), which leaves the
 * row's content empty. Each row names its store (`storage`), and a download reads from that one, whichever store
 * new documents go to.
 */
import type { Db } from '../../db/connection';

export interface DocumentStore {
  readonly name: 'postgres' | 's3';
  /** What the document's row holds of the bytes (the bytes themselves, or nothing when kept elsewhere). */
  put(documentId: string, bytes: Buffer): Promise<{ content: Buffer | null }>;
  /** The bytes as kept (the caller checks them against the recorded SHA-256); null when there is no such row. */
  get(db: Db, documentId: string): Promise<Buffer | null>;
  /** Takes back bytes kept by `put` whose document the claim then refused (nothing to do where the row holds them). */
  remove(documentId: string): Promise<void>;
}

/** The stores a deployment can read from, by the name a row's `storage` column holds. */
export type DocumentStores = Partial<Record<DocumentStore['name'], DocumentStore>>;

export const postgresDocumentStore: DocumentStore = {
  name: 'postgres',
  put: async (_id, bytes) => ({ content: bytes }),
  get: async (db, id) => (await db('claim_documents').where({ id }).first('content'))?.content ?? null,
  remove: async () => undefined,
};

/** The types a document may have, told by its first bytes as well as by its Content-Type. */
export const DOCUMENT_TYPES: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
};
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
