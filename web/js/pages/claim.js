/**
 * A claim: what is owed today, badges for stay, enforcement and escalation, the next step(s) the stage allows for the
 * signed-in role (the rest behind "other actions"), deadlines, reminders sent, documents, referrals and timeline.
 */
import { api, download, el, kes, say, startPage, stepTitle, t, table, today, words } from '../core.js';
import { schemaForm } from '../form.js';
import { CLAIM_STEPS, stepsFor } from '../steps.js';

const DOCUMENT_KINDS = ['decree', 'certificate_of_order', 'payment_voucher', 'assessment_report'];

startPage(async (user) => {
  if (!user) return;
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const base = `/api/claims/${encodeURIComponent(id)}`;
  const render = async (/** @type {string|null} */ message) => {
    const res = await api('GET', base);
    if (!res.ok) { document.getElementById('claim-title').textContent = res.data.detail ?? t('notFound'); return; }
    const c = res.data;
    document.title = `${c.caseNumber} — Redress`;
    document.getElementById('claim-title').textContent = `${c.court}, ${c.caseNumber}`;
    document.getElementById('badges').replaceChildren(...[
      c.stay ? el('span', { class: 'badge stayed' }, `${t('stayed')} (${c.stay.grantedOn})`) : null,
      c.enforcement.noticeServedOn ? el('span', { class: 'badge' }, t('enforcement')) : null,
      c.escalationLevel >= 0 ? el('span', { class: 'badge overdue' }, t('escalated', { n: c.escalationLevel })) : null,
    ].filter(Boolean));
    const card = (/** @type {string} */ label, /** @type {string} */ value, cls = '', testId = undefined) =>
      el('div', { class: `card ${cls}` }, el('span', {}, label), el('strong', { class: 'money', 'data-testid': testId }, value));
    document.getElementById('money').replaceChildren(
      card(t('stage'), words(c.stage)), card(t('awarded'), kes(c.amounts.awardedCents)), card(t('interest'), kes(c.amounts.interestAccruedCents)),
      card(t('paid'), kes(c.amounts.paidCents), 'paid'), card(t('outstanding'), kes(c.amounts.outstandingCents), 'overdue', 'outstanding'),
      card(t('perDay'), kes(c.amounts.dailyInterestCents)));

    const { next, other } = stepsFor(CLAIM_STEPS, c, user.role);
    const done = async () => { await render(t('recorded')); };
    const formFor = (/** @type {{ path: string }} */ s) => schemaForm({
      id: s.path.replace(/\//g, '-'), title: stepTitle(s.path), schema: ['post', `/api/claims/{id}/${s.path}`],
      values: { [dateFieldOf(s.path)]: today() },
      submit: (body) => api('POST', `${base}/${s.path}`, body),
      done: async () => { await render(`${stepTitle(s.path)}: ${t('recorded')}`); },
    });
    document.getElementById('next-steps').replaceChildren(...await Promise.all(next.map(formFor)));
    document.getElementById('next-section').hidden = next.length === 0;
    const otherForms = await Promise.all(other.map(formFor));
    document.getElementById('other-actions').replaceChildren(el('summary', {}, t('otherActions')), ...otherForms);
    document.getElementById('other-actions').hidden = otherForms.length === 0;

    document.getElementById('deadlines').replaceChildren(table([t('kind'), t('owedBy'), t('lastDay'), t('level')],
      c.deadlines.map((/** @type {any} */ d) => [words(d.kind), d.owedBy, d.lastDay, d.paused ? t('stayed') : d.level >= 0 ? String(d.level) : t('notLevel')])));
    const reminders = await api('GET', `${base}/reminders`);
    document.getElementById('reminders').replaceChildren(table([t('kind'), t('level'), t('to'), t('when'), t('outcome')],
      (reminders.data.items ?? []).map((/** @type {any} */ r) => [words(r.kind), String(r.level), [...r.to.map(words), ...r.recipients].join(', '), (r.sentAt ?? r.queuedAt).slice(0, 10),
        r.status === 'undeliverable' ? `${words(r.status)}: ${r.serverReply ?? r.missingRoles.join(', ')}` : words(r.status)])));
    await documents(base, c, user.role, done);
    document.getElementById('referrals').replaceChildren(table([t('referral'), t('service'), t('stage'), t('paid')],
      c.referrals.map((/** @type {any} */ r) => [el('a', { href: `/referral?id=${encodeURIComponent(r.id)}` }, r.id.split('--').at(-1)), words(r.service), words(r.stage), kes(r.paidCents)])));
    if (['administrator', 'advocate'].includes(user.role) && !['withdrawn', 'set_aside'].includes(c.stage)) {
      document.getElementById('referral-slot').replaceChildren(await schemaForm({
        id: 'ref', title: t('requestReferral'), submitLabel: t('requestReferral'), schema: ['post', '/api/claims/{id}/referrals'],
        values: { 'consent.recordedOn': today() }, submit: (body) => api('POST', `${base}/referrals`, body),
        done: async () => { await render(`${t('requestReferral')}: ${t('recorded')}`); },
      }));
    }
    document.getElementById('timeline').replaceChildren(...c.timeline.slice().reverse().map((/** @type {any} */ e) => el('li', {}, `${e.occurredAt.slice(0, 10)} — ${words(e.type)} (${e.actor})`)));
    if (user.role !== 'advocate') document.getElementById('audit').hidden = false;
    if (message) say(message);
  };
  document.getElementById('audit-button')?.addEventListener('click', async () => {
    const res = await api('GET', `${base}/audit`);
    document.getElementById('audit-result').textContent = res.data.ok ? `${t('chainOk')} (${res.data.events})` : `${t('chainBroken')}: ${res.data.reason}`;
  });
  await render(null);
});

/** The date field a step's form fills with today. @param {string} path */
function dateFieldOf(path) {
  return ({ certificate: 'issuedOn', 'certificate/service': 'servedOn', allocations: 'allocatedOn', tranches: 'paidOn', receipts: 'receivedOn', stay: 'grantedOn', 'stay/lift': 'liftedOn' })[path] ?? '';
}

/** The claim's documents: the list (downloads are logged by the API) and, for those who may, the upload form. */
async function documents(/** @type {string} */ base, /** @type {any} */ c, /** @type {string} */ role, /** @type {() => Promise<void>} */ done) {
  const list = await api('GET', `${base}/documents`);
  const rows = (list.data.items ?? []).map((/** @type {any} */ d) => {
    const get = el('button', { type: 'button', class: 'link' }, `${t('download')} ${d.filename}`);
    get.addEventListener('click', () => { void download(`${base}/documents/${d.id}`, d.filename); });
    return [words(d.kind), get, `${Math.ceil(d.sizeBytes / 1024)} kB`, el('code', {}, d.sha256.slice(0, 16)), d.uploadedAt.slice(0, 10)];
  });
  const slot = document.getElementById('documents');
  slot.replaceChildren(table([t('kindOfDocument'), t('file'), 'kB', 'SHA-256', t('when')], rows));
  if (!['administrator', 'advocate'].includes(role) || ['settled', 'withdrawn', 'set_aside'].includes(c.stage)) return;
  const kind = el('select', { id: 'doc-kind', name: 'kind' }, DOCUMENT_KINDS.map((k) => el('option', { value: k }, words(k))));
  const referral = el('select', { id: 'doc-referral', name: 'referralId' }, el('option', { value: '' }, '—'), c.referrals.map((/** @type {any} */ r) => el('option', { value: r.id }, r.id.split('--').at(-1))));
  const file = /** @type {HTMLInputElement} */ (el('input', { id: 'doc-file', name: 'file', type: 'file', accept: 'application/pdf,image/png,image/jpeg', 'aria-describedby': 'doc-error' }));
  const error = el('p', { class: 'error', id: 'doc-error', role: 'alert' });
  const form = el('form', { class: 'step', id: 'document-form', 'data-step': 'documents' }, el('h3', {}, t('attach')),
    el('fieldset', {}, el('div', {}, el('label', { for: 'doc-kind' }, t('kindOfDocument')), kind), el('div', {}, el('label', { for: 'doc-referral' }, t('referral')), referral),
      el('div', {}, el('label', { for: 'doc-file' }, t('file')), file)), error, el('button', { type: 'submit' }, t('attach')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) { error.textContent = t('file'); return; }
    const q = new URLSearchParams({ kind: /** @type {HTMLSelectElement} */ (kind).value, filename: chosen.name });
    if (/** @type {HTMLSelectElement} */ (referral).value) q.set('referralId', /** @type {HTMLSelectElement} */ (referral).value);
    const res = await api('POST', `${base}/documents?${q}`, undefined, { raw: chosen, type: chosen.type || 'application/octet-stream' });
    if (res.ok) { await done(); return; }
    error.textContent = res.data.errors?.[0]?.rule ?? res.data.detail ?? res.data.title;
  });
  slot.append(form);
}
