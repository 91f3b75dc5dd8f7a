import nodemailer, { type Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import { REMINDER_DELIVERY } from '../domain/escalation/delivery';

/**
 * An SMTP transport from a URL such as smtp://user:pass@mail.example:587 or smtps://... Its timeouts are shorter
 * than a delivery attempt (domain/escalation/delivery.ts), so a hung server fails the attempt instead of outliving
 * it; they are set after the URL is read, so nothing in the URL can lengthen them.
 */
export function createMailer(smtpUrl: string): Transporter {
  const { connectionTimeoutMs, greetingTimeoutMs, socketTimeoutMs } = REMINDER_DELIVERY.smtp;
  // nodemailer ignores other options given beside a URL; its transport parses the URL without connecting.
  const { url: _url, ...fromUrl } = new SMTPTransport(smtpUrl).options;
  return nodemailer.createTransport({
    ...fromUrl, connectionTimeout: connectionTimeoutMs, greetingTimeout: greetingTimeoutMs, socketTimeout: socketTimeoutMs,
  });
}
