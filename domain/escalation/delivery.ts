/**
 * How long sending one reminder may take, in one place: the workflow's activity timeout, the SMTP client's
 * timeouts and the outbox lease all follow from these, and test/unit/delivery-timing.test.ts checks how they relate.
 */
export const REMINDER_DELIVERY = {
  /** Temporal gives up on an attempt after this and starts another (workflows/claim/workflow.ts). */
  startToCloseMs: 60_000,
  /** nodemailer's timeouts (worker/mailer.ts): each is shorter than the attempt, and so is their sum. */
  smtp: { connectionTimeoutMs: 10_000, greetingTimeoutMs: 10_000, socketTimeoutMs: 20_000 },
  /**
   * The outbox lease: an attempt that holds it renews it while its send runs, so another attempt (a retry that
   * overlaps a slow first one) waits instead of sending a second copy; an attempt whose worker died loses it
   * after this long, well before Temporal's retry of that attempt comes.
   */
  leaseMs: 30_000,
  leaseRenewEveryMs: 10_000,
} as const;
