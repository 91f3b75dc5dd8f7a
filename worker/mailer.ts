import nodemailer, { type Transporter } from 'nodemailer';

/** An SMTP transport from a URL such as smtp://user:pass@mail.example:587 or smtps://... */
export function createMailer(smtpUrl: string): Transporter {
  return nodemailer.createTransport(smtpUrl);
}
