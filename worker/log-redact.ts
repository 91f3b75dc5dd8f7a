/**
 * Personal data and secrets never reach the logs: the one redaction list of the API's and the worker's pino
 * loggers (headers that carry credentials, and the fields that carry a survivor's, victim's or claimant's reference or needs).
 */
export const LOG_REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]', 'res.headers["set-cookie"]',
  '*.password', '*.survivorRef', '*.needsNote', '*.victimRef', '*.claimantRef',
  // The document store's credentials (api/config.ts), should its settings or an S3 client's ever be logged.
  '*.secretAccessKey', '*.REDRESS_S3_SECRET_ACCESS_KEY', '*.REDRESS_S3_ACCESS_KEY_ID',
];
