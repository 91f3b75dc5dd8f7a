/**
 * A real S3-compatible server on loopback (s3rver: the S3 REST protocol over HTTP, objects kept in a temporary
 * directory), started in-process on a free port like the SMTP sink. Its credentials are S3RVER / S3RVER; it does
 * not check V4 signatures, so it says nothing about credentials, only about the protocol.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3DocumentSettings } from '../../api/documents/s3-store';

export class S3Server {
  private server: S3rver | null = null;
  private dir = '';
  port = 0;

  constructor(readonly bucket = 'redress-documents') {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What a Redress deployment would be given to reach this server. */
  get settings(): S3DocumentSettings {
    return { endpoint: this.endpoint, bucket: this.bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
  }

  /** The same settings as environment variables (api/config.ts). */
  get env(): Record<string, string> {
    return {
      REDRESS_DOCUMENT_STORE: 's3', REDRESS_S3_ENDPOINT: this.endpoint, REDRESS_S3_BUCKET: this.bucket,
      REDRESS_S3_ACCESS_KEY_ID: 'S3RVER', REDRESS_S3_SECRET_ACCESS_KEY: 'S3RVER',
    };
  }

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'redress-s3-'));
    const server = new S3rver({
      address: '127.0.0.1', port: 0, silent: true, directory: this.dir, vhostBuckets: false, configureBuckets: [{ name: this.bucket }],
    });
    this.port = (await server.run()).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await server.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
