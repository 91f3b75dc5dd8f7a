/**
 * What operators see of a worker: the SDK's own logs through the project's structured logger (pino JSON, redacted
 * like the API's), the SDK's Prometheus metrics (task latencies, slots, polls; docs/operations.md), and a health
 * endpoint that answers 200 only while the worker is running.
 */
import { type Server, createServer } from 'node:http';
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { Runtime, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { LOG_REDACT } from './log-redact';


/** The SDK's Logger interface over pino: level names map one to one; meta becomes JSON fields. */
export function sdkLogger(logger: pino.Logger): Logger {
  const at = (level: LogLevel) => (message: string, meta?: LogMetadata) => { logger[level.toLowerCase() as 'info']({ ...meta }, message); };
  return {
    log: (level, message, meta) => at(level)(message, meta),
    trace: at('TRACE'), debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR'),
  };
}

export interface WorkerTelemetry {
  logger: pino.Logger;
  /** host:port of the SDK's Prometheus endpoint (/metrics), or null when off. */
  metricsAddress: string | null;
}

/**
 * Installs the SDK Runtime once per process, before any connection is made. REDRESS_WORKER_METRICS is the
 * Prometheus bind address (default 0.0.0.0:9464; 'off' disables it).
 */
export function installWorkerRuntime(env: NodeJS.ProcessEnv = process.env): WorkerTelemetry {
  const logger = pino({ level: (env.LOG_LEVEL ?? 'info').toLowerCase(), redact: LOG_REDACT, base: { service: 'redress-worker' } });
  const bind = env.REDRESS_WORKER_METRICS ?? '0.0.0.0:9464';
  const metricsAddress = bind === 'off' ? null : bind;
  Runtime.install({
    logger: sdkLogger(logger),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress, countersTotalSuffix: true } } } : {}),
    },
  });
  return { logger, metricsAddress };
}

/**
 * GET /health: 200 {"status":"ok"} while the worker runs, 503 otherwise (starting, draining, stopped, failed).
 * For container health checks and Kubernetes probes; serves nothing else.
 */
export function serveWorkerHealth(worker: Pick<Worker, 'getState'>, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/health') { res.writeHead(404).end(); return; }
    const state = worker.getState();
    res.writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: state === 'RUNNING' ? 'ok' : 'unavailable', state }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
