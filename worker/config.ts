import { cleanEnv, num, str, url } from 'envalid';
import { withLocalInstance } from './local-instance';

/** What tools that only touch the record need (migrate, verify-chain). */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env) {
  // Without DATABASE_URL, the database of the `npm start` running here (worker/local-instance.ts).
  return cleanEnv(withLocalInstance(env), { DATABASE_URL: url({ desc: 'PostgreSQL connection URL for the Redress record' }) });
}

/** Configuration from the environment, checked once at start-up with a clear message for each mistake. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return cleanEnv(env, {
    DATABASE_URL: url({ desc: 'PostgreSQL connection URL for the Redress record' }),
    // Temporal itself (address, namespace, TLS, API key, task queue): worker/temporal-config.ts.
    SMTP_URL: url({ desc: 'SMTP server for reminders, e.g. smtp://user:pass@mail.example.org:587' }),
    MAIL_FROM: str({ default: 'Redress <redress@localhost>' }),
    // Open claims wait months on timers; keeping each cached costs ~0.75 MB (the SDK cites ~1 MB). Evicted claims
    // replay their history on their next task. 250 keeps the worker near 400 MB whatever the number of open claims.
    REDRESS_MAX_CACHED_WORKFLOWS: num({ default: 250 }),
    // When the public release is rebuilt (cron, UTC; 'off' leaves the schedule alone); administrators can also publish on demand.
    REDRESS_RELEASE_CRON: str({ default: '30 0 * * *' }),
    // Purges expired Idempotency-Keys, sessions and sign-in failure counts (worker/maintenance-schedule.ts).
    REDRESS_MAINTENANCE_MINUTES: num({ default: 60 }),
    // GET /health answers 200 while the worker runs: a port ('0': any free one, printed at start) or 'off'.
    REDRESS_WORKER_HEALTH_PORT: str({ default: '8081' }),
    LOG_LEVEL: str({ default: 'info', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] }),
  });
}
export type RedressConfig = ReturnType<typeof loadConfig>;
