/**
 * Personal data and secrets never reach the logs: the one redaction list of the API's and the worker's pino
 * loggers (headers that carry credentials, and the fields that carry a survivor's, victim's or claimant's reference or needs).
 */
export const LOG_REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]', 'res.headers["set-cookie"]',
  '*.password', '*.survivorRef', '*.needsNote', '*.victimRef', '*.claimantRef',
];
