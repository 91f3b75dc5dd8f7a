/* Redress report pages (pending bills; monitoring and evaluation). No framework; the session token is the one the
   sign-in page keeps in sessionStorage. Downloads (CSV, PDF) are fetched with it and saved from a blob. */
'use strict';

const T = {
  en: {
    backToClaims: 'All claims', pendingBills: 'Pending bills', mneTitle: 'Monitoring and evaluation report', language: 'Kiswahili', show: 'Show',
    periodLabel: 'Quarter (2026-Q3) or financial year (2026/27)', indicator: 'Indicator', value: 'Value', target: 'Target', met: 'Target met',
    fy: 'Financial year to date', yes: 'yes', no: 'no', noData: 'no data', empty: 'nothing to measure', toDate: 'to date', atLeast: 'at least', atMost: 'at most',
    noTarget: 'none set', measures: 'What it measures', numerator: 'Numerator', denominator: 'Denominator', source: 'Law or recommendation tracked',
    trend: 'Trend', csv: 'Download CSV', pdf: 'Download PDF', agency: 'Agency', allAgencies: 'All agencies', financialYearLabel: 'Financial year (2026/27)',
    allocationLabel: 'Allocation for the agency (KSh, optional)', orders: 'Orders', principal: 'Principal', interest: 'Interest to date', paid: 'Paid so far',
    outstanding: 'Outstanding', perDay: 'Interest per day', stayed: 'Stayed', court: 'Court', caseNumber: 'Case', certificate: 'Certificate', days: 'Days',
    stateTotal: 'State total', agencyTotal: 'Agency total', position: 'Position on {date}, financial year {fy}.', clears: 'What {amount} paid on {date} would clear',
    payInFull: 'Pays in full', saved: 'Interest saved to {date}', leftOver: 'Left over: {amount}.', badMoney: 'Enter an amount in shillings, like 1,250,000.50',
  },
  sw: {
    backToClaims: 'Madai yote', pendingBills: 'Madeni yanayosubiri malipo', mneTitle: 'Ripoti ya ufuatiliaji na tathmini', language: 'English', show: 'Onyesha',
    periodLabel: 'Robo (2026-Q3) au mwaka wa fedha (2026/27)', indicator: 'Kiashiria', value: 'Thamani', target: 'Lengo', met: 'Lengo limefikiwa',
    fy: 'Mwaka wa fedha hadi sasa', yes: 'ndiyo', no: 'hapana', noData: 'hakuna data', empty: 'hakuna cha kupima', toDate: 'hadi sasa', atLeast: 'angalau', atMost: 'isiyozidi',
    noTarget: 'halijawekwa', measures: 'Kinachopimwa', numerator: 'Kiasi cha juu', denominator: 'Kiasi cha chini', source: 'Sheria au pendekezo linalofuatiliwa',
    trend: 'Mwenendo', csv: 'Pakua CSV', pdf: 'Pakua PDF', agency: 'Taasisi', allAgencies: 'Taasisi zote', financialYearLabel: 'Mwaka wa fedha (2026/27)',
    allocationLabel: 'Kiasi kilichotengwa kwa taasisi (KSh, si lazima)', orders: 'Amri', principal: 'Kiasi cha msingi', interest: 'Riba hadi leo', paid: 'Kilicholipwa',
    outstanding: 'Kinachodaiwa', perDay: 'Riba kwa siku', stayed: 'Zilizositishwa', court: 'Mahakama', caseNumber: 'Kesi', certificate: 'Cheti', days: 'Siku',
    stateTotal: 'Jumla ya Serikali', agencyTotal: 'Jumla ya taasisi', position: 'Hali kufikia {date}, mwaka wa fedha {fy}.', clears: 'Kiasi {amount} kikilipwa {date} kingelipa',
    payInFull: 'Inalipa kikamilifu', saved: 'Riba inayookolewa hadi {date}', leftOver: 'Kinachobaki: {amount}.', badMoney: 'Andika kiasi kwa shilingi, mfano 1,250,000.50',
  },
};
const lang = () => (localStorage.getItem('redress-lang') === 'sw' ? 'sw' : 'en');
const t = (key) => T[lang()][key] ?? key;
const fill = (text, values) => Object.entries(values).reduce((s, [k, v]) => s.replace(`{${k}}`, v), text);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};
const session = () => JSON.parse(sessionStorage.getItem('redress-session') ?? 'null');

function kes(cents) {
  if (cents === null || cents === undefined) return '—';
  const c = BigInt(cents); const neg = c < 0n; const a = neg ? -c : c;
  return `${neg ? '-' : ''}KSh ${(a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(a % 100n).toString().padStart(2, '0')}`;
}
function centsFromShillings(text) {
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(String(text).trim().replace(/^KSh\s*/i, ''));
  if (!m) return null;
  const cents = BigInt(m[1].replace(/,/g, '')) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  return cents <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cents) : null;
}

async function get(path, accept = 'application/json') {
  const s = session();
  const res = await fetch(path, { headers: { accept, ...(s ? { authorization: `Bearer ${s.token}` } : {}) } });
  if (res.status === 401) { location.href = '/signin'; return { ok: false, status: 401, data: {} }; }
  if (accept !== 'application/json' && res.ok) return { ok: true, status: res.status, blob: await res.blob(), name: /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] };
  return { ok: res.ok, status: res.status, data: await res.json() };
}

/** Download buttons: the file is fetched with the session's token, then saved under the name the API gives it. */
function downloads(path) {
  const holder = document.getElementById('downloads');
  const button = (label, type) => {
    const b = el('button', { type: 'button', 'data-type': type }, label);
    b.addEventListener('click', async () => {
      const res = await get(path, type);
      if (!res.ok) return;
      const a = el('a', { href: URL.createObjectURL(res.blob), download: res.name ?? 'report' });
      document.body.append(a); a.click(); a.remove();
    });
    return b;
  };
  holder.replaceChildren(button(t('csv'), 'text/csv'), ' ', button(t('pdf'), 'application/pdf'));
  holder.hidden = false;
}

function showValue(unit, value) {
  if (value === null || value === undefined) return '—';
  if (unit === 'percent') return `${Number(value).toFixed(1)}%`;
  if (unit === 'days') return lang() === 'en' ? `${value} days` : `siku ${value}`;
  if (unit === 'cents') return kes(value);
  return lang() === 'en' ? `${Number(value).toFixed(1)} per 100` : `${Number(value).toFixed(1)} kwa kila 100`;
}
const shown = (v) => (v.status === 'no_data' ? t('noData') : v.status === 'empty' && v.value === null ? t('empty') : `${showValue(v.unit, v.value)}${v.toDate ? ` (${t('toDate')})` : ''}`);
const targetText = (i) => (i.target ? `${i.target.direction === 'at_least' ? t('atLeast') : t('atMost')} ${showValue(i.value.unit, i.target.value)}` : t('noTarget'));

/** The trend as an SVG bar chart, with the target as a dashed line; its text alternative lists every value. */
function trendChart(i) {
  const ns = 'http://www.w3.org/2000/svg';
  const w = 640; const h = 200; const pad = 36;
  const points = i.trend.map((p) => ({ label: p.period.id, value: p.value.status === 'value' ? p.value.value : null, caption: shown(p.value) }));
  const max = i.value.unit === 'percent' ? 100 : Math.max(1, ...points.map((p) => p.value ?? 0), i.target?.value ?? 0) * 1.1;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`); svg.setAttribute('role', 'img'); svg.setAttribute('width', '100%');
  svg.setAttribute('aria-label', `${i.name[lang()]}: ${points.map((p) => `${p.label} ${p.caption}`).join('; ')}${i.target ? `; ${t('target')} ${targetText(i)}` : ''}`);
  const add = (tag, attrs, text) => { const n = document.createElementNS(ns, tag); Object.entries(attrs).forEach(([a, v]) => n.setAttribute(a, v)); if (text !== undefined) n.textContent = text; svg.append(n); return n; };
  const band = (w - pad * 2) / Math.max(1, points.length);
  const y = (v) => h - pad - ((h - pad * 2) * v) / max;
  add('line', { x1: pad, y1: h - pad, x2: w - pad, y2: h - pad, stroke: '#333' });
  points.forEach((p, k) => {
    const x = pad + k * band + band * 0.15;
    if (p.value !== null) add('rect', { x, y: y(p.value), width: band * 0.7, height: h - pad - y(p.value), fill: '#0b5394', 'data-period': p.label });
    add('text', { x: x + band * 0.35, y: (p.value !== null ? y(p.value) : h - pad) - 4, 'text-anchor': 'middle' }, p.value !== null ? showValue(i.value.unit, p.value) : '—');
    add('text', { x: x + band * 0.35, y: h - pad + 16, 'text-anchor': 'middle' }, p.label);
  });
  if (i.target) add('line', { x1: pad, x2: w - pad, y1: y(i.target.value), y2: y(i.target.value), stroke: '#8a1c1c', 'stroke-dasharray': '6 4', 'data-target': i.target.value });
  return svg;
}

async function indicatorsPage() {
  const form = document.getElementById('period-form');
  const params = new URLSearchParams(location.search);
  if (params.get('period')) form.period.value = params.get('period');
  const show = async () => {
    const period = form.period.value.trim();
    const path = `/api/reports/indicators?period=${encodeURIComponent(period)}&lang=${lang()}`;
    const res = await get(path);
    document.getElementById('period-error').textContent = res.ok ? '' : (res.data.errors?.[0]?.rule ?? res.data.detail ?? '');
    if (!res.ok) return;
    const r = res.data;
    document.getElementById('title').textContent = `${t('mneTitle')}: ${r.period.label[lang()]}`;
    const notice = document.getElementById('notice');
    notice.textContent = r.notice[lang()]; notice.hidden = false;
    downloads(path);
    const head = el('tr', {}, [t('indicator'), t('value'), t('target'), t('met'), t('fy')].map((h, k) => el('th', { scope: 'col', class: k ? 'num' : undefined }, h)));
    document.getElementById('summary').replaceChildren(el('thead', {}, head), el('tbody', {}, r.indicators.map((i) => el('tr', { 'data-indicator': i.id },
      el('th', { scope: 'row' }, el('a', { href: `#${i.id}` }, i.name[lang()])), el('td', { class: 'num' }, shown(i.value)), el('td', { class: 'num' }, targetText(i)),
      el('td', { class: 'num' }, i.meetsTarget === null ? '—' : i.meetsTarget ? t('yes') : t('no')),
      el('td', { class: 'num' }, i.financialYearToDate ? shown(i.financialYearToDate.value) : '—')))));
    document.getElementById('indicators').replaceChildren(...r.indicators.map((i) => el('section', { id: i.id },
      el('h2', {}, i.name[lang()]),
      el('p', {}, `${t('value')}: ${shown(i.value)}. ${t('target')}: ${targetText(i)}.`),
      el('p', {}, `${t('measures')}: ${i.measures[lang()]}`),
      el('p', {}, `${t('numerator')}: ${i.numerator[lang()]}${i.denominator ? `. ${t('denominator')}: ${i.denominator[lang()]}` : ''}.`),
      el('p', {}, `${t('source')}: ${i.source.law}${i.source.recommendation ? `; ${i.source.recommendation}` : ''}.`),
      el('figure', {}, trendChart(i), el('figcaption', {}, t('trend'))))));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void show(); });
  if (form.period.value) await show();
}

async function pendingBillsPage() {
  const form = document.getElementById('bills-form');
  const agencies = await get('/api/agencies');
  if (agencies.ok) form.agency.append(...agencies.data.items.map((a) => el('option', { value: a.id }, a.name)));
  const show = async () => {
    const q = new URLSearchParams();
    if (form.agency.value) q.set('agency', form.agency.value);
    if (form.financialYear.value.trim()) q.set('financialYear', form.financialYear.value.trim());
    if (form.allocation.value.trim()) {
      const cents = centsFromShillings(form.allocation.value);
      if (cents === null) { document.getElementById('bills-error').textContent = t('badMoney'); return; }
      q.set('allocationCents', String(cents));
    }
    const path = `/api/reports/pending-bills?${q}`;
    const res = await get(path);
    document.getElementById('bills-error').textContent = res.ok ? '' : (res.data.errors?.map((e) => `${e.field}: ${e.rule}`).join('; ') ?? res.data.detail ?? '');
    if (!res.ok) return;
    const r = res.data;
    const notice = document.getElementById('notice');
    notice.textContent = `${fill(t('position'), { date: r.reportDate, fy: r.financialYear })} ${r.notice}`; notice.hidden = false;
    downloads(path);
    const totals = (label, x) => [label, x.orders, kes(x.principalCents), kes(x.interestAccruedCents), kes(x.paidCents), kes(x.outstandingCents), kes(x.dailyInterestCents), x.stayedOrders];
    const table = (headers, rows, id) => el('div', { class: 'table-wrap' }, el('table', { id },
      el('thead', {}, el('tr', {}, headers.map((h, k) => el('th', { scope: 'col', class: k ? 'num' : undefined }, h)))),
      el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c, k) => el(k ? 'td' : 'th', k ? { class: 'num' } : { scope: 'row' }, String(c))))))));
    const summaryHeaders = [t('agency'), t('orders'), t('principal'), t('interest'), t('paid'), t('outstanding'), t('perDay'), t('stayed')];
    const parts = [table(summaryHeaders, [...r.agencies.map((a) => totals(a.agencyName, a.totals)), totals(t('stateTotal'), r.state)], 'bills-summary')];
    for (const a of r.agencies.filter((x) => x.rows.length)) {
      parts.push(el('h2', {}, a.agencyName), table(['#', t('court'), t('caseNumber'), t('certificate'), t('days'), t('principal'), t('interest'), t('paid'), t('outstanding'), t('perDay'), t('stayed')],
        [...a.rows.map((o, k) => [k + 1, o.court, o.caseNumber, o.certificateIssuedOn, o.daysSinceCertificate, kes(o.principalCents), kes(o.interestAccruedCents), kes(o.paidCents),
          kes(o.outstandingCents), kes(o.dailyInterestCents), o.stayedSince ?? '']),
        ['', t('agencyTotal'), '', '', '', kes(a.totals.principalCents), kes(a.totals.interestAccruedCents), kes(a.totals.paidCents), kes(a.totals.outstandingCents), kes(a.totals.dailyInterestCents), a.totals.stayedOrders]],
        `bills-${a.agencyId}`));
    }
    if (r.allocation) {
      const v = r.allocation;
      parts.push(el('h2', {}, fill(t('clears'), { amount: kes(v.amountCents), date: v.payOn })), el('p', {}, v.definition),
        table(['#', t('court'), t('caseNumber'), t('payInFull'), fill(t('saved'), { date: v.horizon })],
          [...v.cleared.map((c, k) => [k + 1, c.court, c.caseNumber, kes(c.payCents), kes(c.interestSavedCents)]), ['', '', '', kes(v.spentCents), kes(v.interestSavedCents)]], 'allocation'),
        el('p', {}, fill(t('leftOver'), { amount: kes(v.leftOverCents) })));
    }
    document.getElementById('bills').replaceChildren(...parts);
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void show(); });
  await show();
}

document.addEventListener('DOMContentLoaded', () => {
  document.documentElement.lang = lang();
  document.querySelectorAll('[data-i18n]').forEach((n) => { n.textContent = t(n.dataset.i18n); });
  document.querySelectorAll('[data-action="language"]').forEach((b) => {
    b.textContent = t('language');
    b.addEventListener('click', () => { localStorage.setItem('redress-lang', lang() === 'sw' ? 'en' : 'sw'); location.reload(); });
  });
  const s = session();
  if (!s) { location.href = '/signin'; return; }
  document.getElementById('whoami').textContent = `${s.user.name} (${s.user.role})`;
  const page = { indicators: indicatorsPage, 'pending-bills': pendingBillsPage }[document.body.dataset.page];
  if (page) void page();
});
