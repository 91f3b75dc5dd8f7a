/** A referral: its stage and money, and a form for every step (the next first, the rest behind "other actions"). */
import { api, el, kes, say, startPage, stepTitle, t, today, words } from '../core.js';
import { schemaForm } from '../form.js';
import { REFERRAL_STEPS, stepsFor } from '../steps.js';

startPage(async (user) => {
  if (!user) return;
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const render = async (/** @type {string|null} */ message) => {
    const res = await api('GET', `/api/referrals/${encodeURIComponent(id)}`);
    if (!res.ok) { document.getElementById('title').textContent = res.data.detail ?? t('notFound'); return; }
    const r = res.data;
    document.getElementById('title').textContent = `${t('referral')} ${r.id.split('--').at(-1)}: ${words(r.service)}`;
    document.getElementById('facts').replaceChildren(
      el('div', { class: 'card' }, el('span', {}, t('stage')), el('strong', {}, words(r.stage))),
      el('div', { class: 'card' }, el('span', {}, t('claim')), el('a', { href: `/claim?id=${encodeURIComponent(r.claimId)}` }, `${r.court}, ${r.caseNumber}`)),
      el('div', { class: 'card' }, el('span', {}, t('provider')), el('strong', {}, r.providerId ?? '—')),
      el('div', { class: 'card' }, el('span', {}, t('committed')), el('strong', { class: 'money' }, kes(r.approvedCents))),
      el('div', { class: 'card' }, el('span', {}, t('paid')), el('strong', { class: 'money' }, kes(r.paidCents))));
    const { next, other } = stepsFor(REFERRAL_STEPS, r, user.role);
    const formFor = (/** @type {{ path: string }} */ s) => schemaForm({
      id: `referral-${s.path}`, title: stepTitle(s.path), schema: ['post', `/api/claims/{id}/referrals/{referralId}/${s.path}`],
      values: Object.fromEntries(['assessedOn', 'referredOn', 'decidedOn', 'appointmentOn', 'sessionOn', 'paidOn', 'completedOn', 'discontinuedOn'].map((f) => [f, today()])),
      submit: (body) => api('POST', `/api/claims/${encodeURIComponent(r.claimId)}/referrals/${encodeURIComponent(r.id)}/${s.path}`, body),
      done: async () => { await render(`${stepTitle(s.path)}: ${t('recorded')}`); },
    });
    document.getElementById('next-steps').replaceChildren(...await Promise.all(next.map(formFor)));
    const others = await Promise.all(other.map(formFor));
    document.getElementById('other-actions').replaceChildren(el('summary', {}, t('otherActions')), ...others);
    document.getElementById('other-actions').hidden = others.length === 0;
    if (message) say(message);
  };
  await render(null);
}, { roles: ['administrator', 'advocate', 'auditor'] });
