/**
 * Advocates hear of what happens on their claims: each notice at once, or a weekly digest, as they chose. Notices
 * are leased from their outbox before a send and marked sent after, so a retried attempt sends nothing twice (the
 * same narrow window as reminders: a kill between SMTP acceptance and the update repeats one, with its Message-ID).
 */
import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { DIGEST_DAYS } from '../../domain/escalation';
import type { Db } from '../../db/connection';
import { type NoticeRow, leaseDigests, leaseImmediate, releaseNotices, settleNotices } from '../../db/advocate-notices';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function render(notices: NoticeRow[], digest: boolean): { subject: string; text: string; html: string } {
  const lines = notices.map((n) => `${n.content.court}, ${n.content.caseNumber} (claim ${n.claim_id}): ${n.content.en}`);
  const sw = notices.map((n) => `${n.content.court}, ${n.content.caseNumber}: ${n.content.sw}`);
  const subject = digest
    ? `Redress: your week's news on ${new Set(notices.map((n) => n.claim_id)).size} claim(s) / Habari za wiki`
    : `Redress: ${notices[0]!.content.court}, ${notices[0]!.content.caseNumber} — ${notices[0]!.content.en.split(';')[0]}`;
  const text = [...lines, '', '— Kiswahili —', '', ...sw, '', 'You receive these as you chose (at once, or weekly); change it on your Redress page.'].join('\n');
  const html = `<!doctype html><html lang="en"><body><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul><hr><ul lang="sw">${sw.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></body></html>`;
  return { subject, text, html };
}

export function createNoticeActivities(deps: { db: Db; mailer: Transporter; mailFrom: string }) {
  const { db, mailer, mailFrom } = deps;

  async function send(rows: NoticeRow[], token: string, digest: boolean): Promise<number> {
    let sent = 0;
    const byAdvocate = new Map<string, NoticeRow[]>();
    for (const r of rows) byAdvocate.set(r.advocate_id, [...(byAdvocate.get(r.advocate_id) ?? []), r]);
    for (const [advocateId, mine] of byAdvocate) {
      const ids = mine.map((n) => n.id);
      const advocate = await db('advocates').where({ id: advocateId }).first('email');
      if (!advocate?.email) { await settleNotices(db, ids, token, { status: 'undeliverable', messageId: null }); continue; }
      const mail = render(mine, digest);
      const messageId = `<notice-${ids[0]}-${ids.length}@redress>`;
      try {
        await mailer.sendMail({ from: mailFrom, to: advocate.email, subject: mail.subject, text: mail.text, html: mail.html, messageId,
          headers: { 'X-Redress-Notice': digest ? 'digest' : mine[0]!.kind, 'X-Redress-Notice-Claim': mine[0]!.claim_id } });
      } catch (err) {
        await releaseNotices(db, ids, token);
        throw err;
      }
      await settleNotices(db, ids, token, { status: digest ? 'in_digest' : 'sent', messageId });
      sent += ids.length;
    }
    return sent;
  }

  return {
    /** The notices of one claim event, to advocates who want them at once. */
    async deliverAdvocateNotice(input: { claimId: string; sequence: number }): Promise<{ sent: number }> {
      const token = randomUUID();
      return { sent: await send(await leaseImmediate(db, input.claimId, input.sequence, token), token, false) };
    },
    /** Weekly digests that are due (run with the hourly maintenance); `now` for tests. */
    async sendWeeklyDigests(now: Date = new Date()): Promise<{ sent: number }> {
      const token = randomUUID();
      return { sent: await send(await leaseDigests(db, token, DIGEST_DAYS, now), token, true) };
    },
  };
}
