/**
 * Pending bills: certified orders not paid in full, per agency and for the State, with interest to date; what an
 * allocation paid today would clear, oldest first; the report as CSV or PDF.
 */
import { api, centsFromShillings, downloadButtons, el, figures, kes, startPage, t } from '../core.js';

const REPORT = '/api/reports/pending-bills';

startPage(async () => {
  const form = /** @type {HTMLFormElement} */ (document.getElementById('bills-form'));
  const f = /** @type {any} */ (form.elements);
  const error = /** @type {HTMLElement} */ (document.getElementById('bills-error'));
  const agencies = await api('GET', '/api/agencies');
  if (agencies.ok) f.agency.append(...agencies.data.items.map((/** @type {any} */ a) => el('option', { value: a.id }, a.name)));
  const show = async () => {
    const q = new URLSearchParams();
    if (f.agency.value) q.set('agency', f.agency.value);
    if (f.financialYear.value.trim()) q.set('financialYear', f.financialYear.value.trim());
    if (f.allocation.value.trim()) {
      const cents = centsFromShillings(f.allocation.value);
      if (cents === null) { error.textContent = t('badMoney'); return; }
      q.set('allocationCents', String(cents));
    }
    const res = await api('GET', `${REPORT}?${q}`);
    error.textContent = res.ok ? '' : (res.data.errors?.map((/** @type {any} */ e) => `${e.field}: ${e.rule}`).join('; ') ?? res.data.detail ?? '');
    if (!res.ok) return;
    const r = res.data;
    const notice = /** @type {HTMLElement} */ (document.getElementById('notice'));
    notice.textContent = `${t('position', { date: r.reportDate, fy: r.financialYear })} ${r.notice}`; notice.hidden = false;
    const downloads = /** @type {HTMLElement} */ (document.getElementById('downloads'));
    downloads.replaceChildren(...downloadButtons(REPORT, q)); downloads.hidden = false;

    const wrap = (/** @type {HTMLElement} */ tbl) => el('div', { class: 'table-wrap' }, tbl);
    const money = (/** @type {any} */ x) => [kes(x.principalCents), kes(x.interestAccruedCents), kes(x.paidCents), kes(x.outstandingCents), kes(x.dailyInterestCents)];
    const totals = (/** @type {string} */ label, /** @type {any} */ x) => [label, x.orders, ...money(x), x.stayedOrders];
    const parts = [wrap(figures([t('agency'), t('orders'), t('principal'), t('interest'), t('paidSoFar'), t('owing'), t('interestPerDay'), t('stayedOrders')],
      [...r.agencies.map((/** @type {any} */ a) => totals(a.agencyName, a.totals)), totals(t('stateTotal'), r.state)], { id: 'bills-summary' }))];
    for (const a of r.agencies.filter((/** @type {any} */ x) => x.rows.length)) {
      parts.push(el('h2', {}, a.agencyName), wrap(figures(
        ['#', t('court'), t('caseNumber'), t('certificate'), t('days'), t('principal'), t('interest'), t('paidSoFar'), t('owing'), t('interestPerDay'), t('stayedOrders')],
        [...a.rows.map((/** @type {any} */ o, /** @type {number} */ k) => [k + 1, o.court, o.caseNumber, o.certificateIssuedOn, o.daysSinceCertificate, ...money(o), o.stayedSince ?? '']),
          ['', t('agencyTotal'), '', '', '', ...money(a.totals), a.totals.stayedOrders]],
        { id: `bills-${a.agencyId}` })));
    }
    if (r.allocation) {
      const v = r.allocation;
      parts.push(el('h2', {}, t('clears', { amount: kes(v.amountCents), date: v.payOn })), el('p', {}, v.definition),
        wrap(figures(['#', t('court'), t('caseNumber'), t('payInFull'), t('interestSaved', { date: v.horizon })],
          [...v.cleared.map((/** @type {any} */ c, /** @type {number} */ k) => [k + 1, c.court, c.caseNumber, kes(c.payCents), kes(c.interestSavedCents)]),
            ['', '', '', kes(v.spentCents), kes(v.interestSavedCents)]], { id: 'allocation' })),
        el('p', {}, t('leftOver', { amount: kes(v.leftOverCents) })));
    }
    /** @type {HTMLElement} */ (document.getElementById('bills')).replaceChildren(...parts);
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void show(); });
  await show();
}, { roles: ['administrator', 'auditor'] });
