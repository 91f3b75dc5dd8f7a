/** Which document store the API is given (api/config.ts documentStoresFrom), and the settings it refuses at start-up. */
import { documentStoresFrom } from '../../api/config';

const S3 = {
  REDRESS_DOCUMENT_STORE: 's3', REDRESS_S3_ENDPOINT: 'http://127.0.0.1:9000', REDRESS_S3_BUCKET: 'redress-documents',
  REDRESS_S3_ACCESS_KEY_ID: 'redress', REDRESS_S3_SECRET_ACCESS_KEY: 'a-secret-that-is-never-shown',
};

it('when nothing is set, then documents are kept in PostgreSQL and no other store is read', () => {
  const { documentStore, documentReaders } = documentStoresFrom({});
  expect([documentStore?.name, Object.keys(documentReaders ?? {})]).toEqual(['postgres', []]);
});

it('when s3 is chosen with its settings, then new documents go to S3 and PostgreSQL is still read', () => {
  const { documentStore, documentReaders } = documentStoresFrom(S3);
  expect([documentStore?.name, Object.keys(documentReaders ?? {}).sort()]).toEqual(['s3', ['postgres', 's3']]);
});

it('when postgres is chosen and a bucket is still set, then new documents go to PostgreSQL and the bucket is still read', () => {
  const { documentStore, documentReaders } = documentStoresFrom({ ...S3, REDRESS_DOCUMENT_STORE: 'postgres' });
  expect([documentStore?.name, documentReaders?.s3?.name]).toEqual(['postgres', 's3']);
});

it('when s3 is chosen without a bucket or credentials, then start-up is refused naming each missing variable', () => {
  expect(() => documentStoresFrom({ ...S3, REDRESS_S3_BUCKET: undefined })).toThrow(/REDRESS_S3_BUCKET must be set when REDRESS_DOCUMENT_STORE is s3/);
  expect(() => documentStoresFrom({ ...S3, REDRESS_S3_BUCKET: '  ' })).toThrow(/REDRESS_S3_BUCKET/);
  expect(() => documentStoresFrom({ REDRESS_DOCUMENT_STORE: 's3' })).toThrow(/REDRESS_S3_BUCKET, REDRESS_S3_ACCESS_KEY_ID, REDRESS_S3_SECRET_ACCESS_KEY/);
  expect(() => documentStoresFrom({ ...S3, REDRESS_DOCUMENT_STORE: 'postgres', REDRESS_S3_ACCESS_KEY_ID: '' })).toThrow(/REDRESS_S3_ACCESS_KEY_ID must be set with REDRESS_S3_BUCKET/);
});

it('when a setting is not one it knows, then start-up is refused naming it, never showing a secret', () => {
  expect(() => documentStoresFrom({ ...S3, REDRESS_DOCUMENT_STORE: 'ftp' })).toThrow(/REDRESS_DOCUMENT_STORE is invalid/);
  expect(() => documentStoresFrom({ ...S3, REDRESS_S3_ENDPOINT: 'not a url' })).toThrow(/REDRESS_S3_ENDPOINT is invalid/);
  for (const env of [{ ...S3, REDRESS_DOCUMENT_STORE: 'ftp' }, { ...S3, REDRESS_S3_BUCKET: '' }]) {
    let message = '';
    try { documentStoresFrom(env); } catch (err) { message = (err as Error).message; }
    expect(message).not.toBe('');
    expect(message).not.toContain(S3.REDRESS_S3_SECRET_ACCESS_KEY);
  }
});
