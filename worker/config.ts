import { cleanEnv, str, url } from 'envalid';

/** What tools that only touch the record need (migrate, verify-chain). */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env) {
  return cleanEnv(env, { DATABASE_URL: url({ desc: 'PostgreSQL connection URL for the Redress record' }) });
}

/** Configuration from the environment, checked once at start-up with a clear message for each mistake. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return cleanEnv(env, {
    DATABASE_URL: url({ desc: 'PostgreSQL connection URL for the Redress record' }),
    TEMPORAL_ADDRESS: str({ default: 'localhost:7233' }),
    TEMPORAL_NAMESPACE: str({ default: 'default' }),
    TEMPORAL_TASK_QUEUE: str({ default: 'redress' }),
    SMTP_URL: url({ desc: 'SMTP server for reminders, e.g. smtp://user:pass@mail.example.org:587' }),
    MAIL_FROM: str({ default: 'Redress <redress@localhost>' }),
    LOG_LEVEL: str({ default: 'info', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] }),
  });
}
export type RedressConfig = ReturnType<typeof loadConfig>;
