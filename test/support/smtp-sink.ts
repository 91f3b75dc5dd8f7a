/**
 * A real SMTP server on loopback (smtp-server) that keeps every message it accepts, parsed with mailparser.
 * It can be stopped and started again on the same port to simulate an outage, be slow to accept a message, and
 * refuse recipients with a reply of its choosing (e.g. 550 for a mailbox that does not exist).
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Map<string, unknown>;
  raw: string;
}

export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  port = 0;
  /** How long the server waits after a message's last byte before accepting it (a slow server). */
  acceptDelayMs = 0;
  /** A reply such as '550 5.1.1 mailbox unavailable' refuses the recipient; null accepts it. */
  refuseRecipient: (address: string) => string | null = () => null;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const reply = this.refuseRecipient(address.address);
        if (!reply) return callback();
        const m = /^(\d{3})\s+(.*)$/.exec(reply);
        const err = Object.assign(new Error(m ? m[2] : reply), { responseCode: m ? Number(m[1]) : 550 });
        callback(err);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const accept = new Promise((r) => setTimeout(r, this.acceptDelayMs));
          accept.then(() => simpleParser(raw)).then((mail: ParsedMail) => {
            this.messages.push({
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '', headers: mail.headers, raw,
            });
            callback();
          }, callback);
        });
      },
    });
    // A client that drops its connection (a worker killed mid-send) is an error of that session, not of the server:
    // its message was not accepted, and the sender retries. Without a listener it would crash the process.
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Waits until `predicate` holds over the received messages (real time; bounded). */
  async waitFor(predicate: (messages: ReceivedMail[]) => boolean, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > until) throw new Error(`timed out waiting for mail; received ${this.messages.length}: ${this.messages.map((m) => m.subject).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
