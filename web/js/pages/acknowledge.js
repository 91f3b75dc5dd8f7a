/**
 * The page behind a reminder's link, for an agency officer with no account: what the reminder asks for, and a form to
 * acknowledge it and commit to a step by a date. The token travels in the address's fragment, never to a server log.
 */
import { api, el, kes, lang, say, startPage, t, today } from '../core.js';
import { schemaForm } from '../form.js';

startPage(async () => {
  const token = location.hash.slice(1);
  const path = `/api/acknowledgments/${encodeURIComponent(token)}`;
  const res = await api('GET', path);
  if (!res.ok) { say(res.data.detail ?? t('notFound'), 'error'); return; }
  const a = res.data;
  document.getElementById('facts').replaceChildren(
    el('p', {}, el('strong', {}, `${a.claim.court}, ${a.claim.caseNumber}`), ` — ${a.agency.name}`),
    el('dl', {},
      el('dt', {}, t('stepOwed')), el('dd', {}, a.reminder.stepOwed[lang()], ` (${a.reminder.basis})`),
      el('dt', {}, t('dueDate')), el('dd', {}, a.reminder.dueDate),
      el('dt', {}, t('daysOverdue')), el('dd', {}, String(a.reminder.daysOverdue)),
      el('dt', {}, t('outstanding')), el('dd', { class: 'money' }, kes(a.reminder.outstandingCents)),
      el('dt', {}, t('perDay')), el('dd', { class: 'money' }, kes(a.reminder.dailyInterestCents)),
      el('dt', {}, t('level')), el('dd', {}, String(a.reminder.level))));
  if (a.acknowledged) { say(t('ackAlready', { date: a.acknowledged.at.slice(0, 10), name: a.acknowledged.officerName })); return; }
  document.getElementById('form-slot').replaceChildren(await schemaForm({
    id: 'ack', title: t('acknowledge'), submitLabel: t('acknowledge'), headingLevel: 'h2', schema: ['post', '/api/acknowledgments/{token}'],
    values: { 'commitment.dueOn': today() }, submit: (body) => {
      // A commitment is optional: an untouched one (no action written) is not sent.
      if (body.commitment && !body.commitment.action) delete body.commitment;
      return api('POST', path, body);
    },
    done: () => { document.getElementById('form-slot').replaceChildren(); say(t('ackDone')); },
  }));
}, { public: true });
