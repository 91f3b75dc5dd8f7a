/**
 * `npm run api`: serves the HTTP API (PORT, default 3000) against DATABASE_URL and Temporal (worker/temporal-config.ts),
 * with Prometheus metrics on REDRESS_METRICS_PORT (default 9465; 'off' disables them).
 */
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { cleanEnv, num, str, url } from 'envalid';
import pino from 'pino';
import { createDb } from '../db/connection';
import { dataConverterFrom, payloadCodecFrom } from '../worker/payload-codec';
import { temporalSettings } from '../worker/temporal-config';
import { loadApiSettings } from './config';
import { linkSignerFrom } from '../worker/acknowledgment-link';
import { LOG_REDACT, createApp } from './http/app';
import { createApiMetrics, serveMetrics } from './http/metrics';

async function main(): Promise<void> {
  const env = cleanEnv(process.env, {
    DATABASE_URL: url({ desc: 'PostgreSQL connection URL for the Redress record' }),
    PORT: num({ default: 3000, desc: 'the API and pages (0: any free port)' }), HOST: str({ default: '127.0.0.1' }),
    REDRESS_METRICS_PORT: str({ default: '9465', desc: "Prometheus /metrics: a port ('0': any free one) or 'off'" }),
    REDRESS_METRICS_HOST: str({ default: '0.0.0.0' }),
    LOG_LEVEL: str({ default: 'info', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }),
  });
  const temporal = temporalSettings();
  const logger = pino({ level: env.LOG_LEVEL, redact: LOG_REDACT, base: { service: 'redress-api' } });
  const db = createDb(env.DATABASE_URL);
  // Lazy: the API serves reads from PostgreSQL even while Temporal is unreachable; /ready says which is down.
  const connection = Connection.lazy(temporal.connection);
  const metrics = env.REDRESS_METRICS_PORT === 'off' ? undefined : createApiMetrics(db);
  // Includes where documents are kept (REDRESS_DOCUMENT_STORE and REDRESS_S3_*; a missing one stops the start here).
  const settings = loadApiSettings();
  const { app } = createApp({ db, client: new Client({ connection, namespace: temporal.namespace, dataConverter: dataConverterFrom() }),
    payloadCodec: payloadCodecFrom(), codecCorsOrigin: process.env.REDRESS_CODEC_CORS_ORIGIN, linkSigner: linkSignerFrom(), taskQueue: temporal.taskQueue, logger, metrics,
    ...settings });
  const metricsServer = metrics ? await serveMetrics(metrics.registry, Number(env.REDRESS_METRICS_PORT), env.REDRESS_METRICS_HOST) : null;
  const server = app.listen(env.PORT, env.HOST, () => {
    const port = (server.address() as AddressInfo).port;
    const metricsPort = metricsServer ? (metricsServer.address() as AddressInfo).port : null;
    logger.info(`Redress API on http://${env.HOST}:${port} (docs at /docs); metrics ${metricsPort ? `on :${metricsPort}/metrics` : 'off'}; Temporal ${temporal.describe()}, task queue ${temporal.taskQueue}; new documents kept in ${settings.documentStore?.name ?? 'postgres'}`);
  });
  const stop = () => {
    metricsServer?.close();
    server.close(() => { void connection.close().then(() => db.destroy()); });
  };

  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => { console.error(err); process.exit(1); });
