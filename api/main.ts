/** `npm run api`: serves the HTTP API against DATABASE_URL and TEMPORAL_ADDRESS. */
import { Client, Connection } from '@temporalio/client';
import { cleanEnv, port, str, url } from 'envalid';
import pino from 'pino';
import { createDb } from '../db/connection';
import { dataConverterFrom, payloadCodecFrom } from '../worker/payload-codec';
import { loadApiSettings } from './config';
import { linkSignerFrom } from './acknowledgments/link';
import { LOG_REDACT, createApp } from './http/app';

async function main(): Promise<void> {
  const env = cleanEnv(process.env, {
    DATABASE_URL: url(), TEMPORAL_ADDRESS: str({ default: 'localhost:7233' }), TEMPORAL_NAMESPACE: str({ default: 'default' }),
    TEMPORAL_TASK_QUEUE: str({ default: 'redress' }), PORT: port({ default: 3000 }), HOST: str({ default: '127.0.0.1' }),
  });
  const logger = pino({ level: 'info', redact: LOG_REDACT });
  const db = createDb(env.DATABASE_URL);
  // Lazy: the API serves reads from PostgreSQL even while Temporal is unreachable; /ready says which is down.
  const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS });
  const { app } = createApp({ db, client: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFrom() }),
    payloadCodec: payloadCodecFrom(), codecCorsOrigin: process.env.REDRESS_CODEC_CORS_ORIGIN, linkSigner: linkSignerFrom(), taskQueue: env.TEMPORAL_TASK_QUEUE, logger, ...loadApiSettings() });
  const server = app.listen(env.PORT, env.HOST, () => logger.info(`Redress API on http://${env.HOST}:${env.PORT} (docs at /docs)`));
  const stop = () => server.close(() => { void connection.close().then(() => db.destroy()); });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => { console.error(err); process.exit(1); });
