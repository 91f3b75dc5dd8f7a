/**
 * A local mail inbox for `npm start` when no SMTP_URL is given: an SMTP server on loopback that keeps each
 * message as an .eml file, so reminders can be read on the machine that runs Redress.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export async function startLocalMailbox(dir: string, port = 2525): Promise<{ url: string; dir: string; close(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${++count}.eml`;
        writeFileSync(join(dir, name), Buffer.concat(chunks));
        callback();
      });
    },
  });
  // A client that drops its connection (a worker killed mid-send) is an error of that session, not of the server:
  // its message was not accepted, and the sender retries. Without a listener it would crash the process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { url: `smtp://127.0.0.1:${port}`, dir, close: () => new Promise<void>((r) => server.close(() => r())) };
}
