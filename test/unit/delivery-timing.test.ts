import { REMINDER_DELIVERY } from '../../domain/escalation';
import { permanentRefusal } from '../../activities/escalation/deliver';
import { createMailer } from '../../worker/mailer';

describe('reminder delivery timing', () => {
  const { startToCloseMs, smtp, leaseMs, leaseRenewEveryMs } = REMINDER_DELIVERY;

  it('when the mailer is created, then its SMTP timeouts are the shared ones, each and together shorter than an attempt', () => {
    const options = (createMailer('smtp://user:secret@127.0.0.1:2525?socketTimeout=600000') as unknown as { transporter: { options: Record<string, unknown> } }).transporter.options;
    expect(options).toMatchObject({ connectionTimeout: smtp.connectionTimeoutMs, greetingTimeout: smtp.greetingTimeoutMs, socketTimeout: smtp.socketTimeoutMs, host: '127.0.0.1', port: 2525, auth: { user: 'user', pass: 'secret' } });
    for (const ms of Object.values(smtp)) expect(ms).toBeLessThan(startToCloseMs);
    expect(smtp.connectionTimeoutMs + smtp.greetingTimeoutMs + smtp.socketTimeoutMs).toBeLessThan(startToCloseMs);
  });

  it('when an attempt holds the lease, then it renews it well before it lapses, and a dead attempt\'s lease lapses before Temporal retries it', () => {
    expect(leaseRenewEveryMs * 2).toBeLessThanOrEqual(leaseMs);
    expect(leaseMs).toBeLessThan(startToCloseMs);
  });
});

describe('permanent refusals', () => {
  const rcpt = (...codes: number[]) => ({
    command: 'RCPT TO', responseCode: codes[codes.length - 1],
    rejectedErrors: codes.map((c) => ({ command: 'RCPT TO', responseCode: c, response: `${c} x` })),
  });
  it('when every recipient gets 5xx, or the message does, then it is permanent and the replies are kept', () => {
    expect(permanentRefusal(rcpt(550, 551))).toBe('550 x; 551 x');
    expect(permanentRefusal({ command: 'DATA', responseCode: 554, response: '554 5.7.1 rejected as spam' })).toBe('554 5.7.1 rejected as spam');
  });
  it('when any recipient gets 4xx, the connection fails, or the sign-in or sender is refused, then it is not permanent', () => {
    expect(permanentRefusal(rcpt(550, 450))).toBeNull();
    expect(permanentRefusal(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBeNull();
    expect(permanentRefusal({ command: 'AUTH PLAIN', responseCode: 535, response: '535 bad credentials' })).toBeNull();
    expect(permanentRefusal({ command: 'MAIL FROM', responseCode: 553, response: '553 sender rejected' })).toBeNull();
  });
});
