/** The Victim Protection Fund: a year's report (need, money received, committed, paid, the gap) and its waiting list. */
import { api, el, kes, startPage, t, table, today } from '../core.js';

/** The financial year (July to June) of a date, as 2026-27. @param {string} date */
const yearOf = (date) => { const y = Number(date.slice(0, 4)); const start = Number(date.slice(5, 7)) >= 7 ? y : y - 1; return `${start}-${String((start + 1) % 100).padStart(2, '0')}`; };

startPage(async () => {
  const form = /** @type {HTMLFormElement} */ (document.getElementById('report-form'));
  const input = /** @type {HTMLInputElement} */ (document.getElementById('report-year'));
  input.value = new URLSearchParams(location.search).get('year') ?? yearOf(today()).replace('-', '/');
  const show = async () => {
    const res = await api('GET', `/api/fund/reports/${encodeURIComponent(input.value.trim().replace('/', '-'))}`);
    if (!res.ok) { document.getElementById('report').replaceChildren(el('p', { class: 'error' }, res.data.detail ?? res.data.title)); return; }
    const r = res.data;
    const card = (/** @type {string} */ label, /** @type {string} */ value) => el('div', { class: 'card' }, el('span', {}, label), el('strong', { class: 'money' }, value));
    document.getElementById('report').replaceChildren(card(t('need'), kes(r.needCents)), card(t('received'), kes(r.receivedCents)), card(t('committed'), kes(r.committedCents)),
      card(t('paid'), kes(r.paidCents)), card(t('uncommitted'), kes(r.uncommittedCents)), card(t('gap'), kes(r.gapCents)),
      card(t('waiting'), String(r.waitingList.length)), card(t('medianWait'), r.medianWaitDays ?? '—'));
    document.getElementById('waiting').replaceChildren(table([t('referral'), t('amount'), t('waitingDays')],
      r.waitingList.map((/** @type {any} */ w) => [el('a', { href: `/referral?id=${encodeURIComponent(w.referralId)}` }, w.referralId), kes(w.amountCents), String(w.waitingDays)])));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void show(); });
  await show();
}, { roles: ['administrator', 'auditor'] });
