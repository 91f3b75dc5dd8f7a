/**
 * Documents kept in an S3-compatible object store (AWS S3, MinIO, Ceph, …) instead of their PostgreSQL row. The
 * row keeps everything else (claim, kind, filename, SHA-256, `storage = 's3'`) with its content empty; the object's
 * key is made of the document's id alone (`documents/<uuid>`), so the bucket's listing and its access logs say
 * nothing of a claim, a survivor or a filename, and no metadata goes with the object.
 *
 * Integrity: the upload carries the file's SHA-256 (x-amz-checksum-sha256), which AWS S3 and MinIO check before
 * keeping the object; a store that ignores it is still covered, because every download is hashed again against the
 * SHA-256 recorded in the claim's chain before a byte is sent (api/http/routes/documents.ts).
 */
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DocumentStore } from './store';

export interface S3DocumentSettings {
  /** The store's URL (MinIO and the like); without it, AWS S3 of the region. */
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Bucket in the path (http://host/bucket/key), as MinIO-style stores expect; default: when an endpoint is set. */
  forcePathStyle?: boolean;
}

/** The object's key: the document's id and nothing else. */
export const documentObjectKey = (documentId: string): string => `documents/${documentId}`;

export interface S3DocumentStore extends DocumentStore {
  readonly name: 's3';
  readonly bucket: string;
}

export function s3DocumentStore(settings: S3DocumentSettings): S3DocumentStore {
  const client = new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle ?? Boolean(settings.endpoint),
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // The SHA-256 below is the checksum sent; the SDK adds no CRC of its own (some S3-compatible stores refuse them).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const { bucket } = settings;
  return {
    name: 's3',
    bucket,
    // The route records the document in the claim's chain, and writes its row, only after this resolves: neither
    // names an object that was not kept (a store that is down refuses the upload before anything is recorded). A
    // refused document's object is removed; a row insert that fails after the chain event leaves an object no row
    // names and no download can reach (a sweep could remove objects without a row).
    put: async (documentId, bytes) => {
      await client.send(new PutObjectCommand({
        Bucket: bucket, Key: documentObjectKey(documentId), Body: bytes, ContentLength: bytes.length,
        ContentType: 'application/octet-stream', ChecksumSHA256: createHash('sha256').update(bytes).digest('base64'),
      }));
      return { content: null };
    },
    remove: async (documentId) => {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: documentObjectKey(documentId) }));
    },
    get: async (_db, documentId) => {
      const key = documentObjectKey(documentId);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!object.Body) throw new Error('the store answered without a body');
        return Buffer.from(await object.Body.transformToByteArray());
      } catch (err) {
        // A row whose object is gone is a fault of the store, not a document that does not exist: never a 404.
        const why = err instanceof NoSuchKey ? 'the object is missing' : `${(err as Error).name}: ${(err as Error).message}`;
        throw new Error(`document ${documentId} could not be read from bucket ${bucket} (key ${key}): ${why}`, { cause: err });
      }
    },
  };
}
