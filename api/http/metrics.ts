/**
 * Prometheus metrics of the API, served on a port of their own (REDRESS_METRICS_PORT) so that the public port never
 * shows them: HTTP requests by method, route pattern and status (no ids, no query strings), the Node process, and
 * the business gauges of db/operations.ts, read from PostgreSQL at each scrape.
 */
import { type Server, createServer } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../../db/connection';
import { operationsSnapshot } from '../../db/operations';

export interface ApiMetrics {
  registry: Registry;
  /** express middleware recording every request once it is answered. */
  http: (req: Request, res: Response, next: NextFunction) => void;
}

export function createApiMetrics(db: Db): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'redress_api_' });
  const duration = new Histogram({
    name: 'redress_http_request_duration_seconds', help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const http = (req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer();
    res.once('finish', () => {
      // The route pattern (/api/claims/:id), never the URL: ids would make one series per claim.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : res.statusCode === 404 ? 'unmatched' : 'static';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  // One snapshot per scrape, shared by the gauges below (each gauge's collect() runs in the same scrape).
  let pending: Promise<Awaited<ReturnType<typeof operationsSnapshot>>> | null = null;
  const snapshot = () => (pending ??= operationsSnapshot(db).finally(() => setTimeout(() => { pending = null; }, 1_000).unref()));
  const scrapeErrors = new Counter({ name: 'redress_metrics_scrape_errors_total', help: 'Business gauges that could not be read from PostgreSQL', registers: [registry] });
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, s: Awaited<ReturnType<typeof operationsSnapshot>>) => void) =>
    new Gauge({
      name, help, labelNames, registers: [registry],
      async collect() {
        this.reset();
        try { fill(this, await snapshot()); } catch { scrapeErrors.inc(); }
      },
    });
  gauge('redress_claims', 'Claims by stage', ['stage'], (g, s) => { for (const r of s.claimsByStage) g.set({ stage: r.stage }, r.claims); });
  gauge('redress_claims_overdue', 'Open claims with a lapsed deadline, by escalation level reached (-1: no reminder yet)', ['level'],
    (g, s) => { for (const r of s.overdueByLevel) g.set({ level: String(r.level) }, r.claims); });
  gauge('redress_reminders', 'Reminders waiting to be sent (pending) or refused by every recipient (undeliverable)', ['status'],
    (g, s) => { g.set({ status: 'pending' }, s.reminders.pending); g.set({ status: 'undeliverable' }, s.reminders.undeliverable); });
  gauge('redress_fund_uncommitted_cents', 'Victim Protection Fund money received and not committed, in KES cents, by financial year', ['financial_year'],
    (g, s) => { for (const f of s.fund) g.set({ financial_year: f.financialYear }, f.uncommittedCents); });
  gauge('redress_fund_waiting_referrals', 'Referrals approved and waiting for fund money, by financial year', ['financial_year'],
    (g, s) => { for (const f of s.fund) g.set({ financial_year: f.financialYear }, f.waiting); });
  return { registry, http };
}

/** GET /metrics on its own port (REDRESS_METRICS_PORT; keep it off the public network). */
export function serveMetrics(registry: Registry, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') { res.writeHead(404).end(); return; }
    registry.metrics().then(
      (text) => { res.writeHead(200, { 'content-type': registry.contentType }); res.end(text); },
      (err: Error) => { res.writeHead(500, { 'content-type': 'text/plain' }); res.end(err.message); },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
