/** The public page: figures from the latest release only (the league table and a chart), in English or Kiswahili. */
import { api, count, el, kes, lang, marker, startPage, t } from '../core.js';

startPage(publicPage, { public: true });

/** The latest release's totals, chart and league table. */
async function publicPage() {
  const [stats, league] = await Promise.all([api('GET', '/api/public/statistics'), api('GET', '/api/public/agencies')]);
  if (!stats.ok) { document.getElementById('release').textContent = t('noRelease'); return; }
  const { release } = stats.data;
  document.getElementById('release').textContent = t('releaseLine', { n: release.number, date: release.asOf, money: release.moneyAsOf });
  const total = stats.data.totals ?? { orders: 0, awarded_cents: 0, paid_cents: 0, outstanding_cents: 0, overdue: 0 };
  const card = (label, value, cls) => el('div', { class: `card ${cls ?? ''}` }, el('span', {}, label), el('strong', { class: 'money' }, value));
  document.getElementById('totals').replaceChildren(
    card(t('orders'), count(total.orders)), card(t('awarded'), kes(total.awarded_cents)), card(t('paid'), kes(total.paid_cents), 'paid'),
    card(t('outstanding'), kes(total.outstanding_cents), 'overdue'), card(t('overdue'), count(total.overdue)));
  drawChart(document.getElementById('chart'), stats.data.byYearOfJudgment.filter((y) => typeof y.awarded_cents === 'number')
    .map((y) => ({ key: y.year_of_judgment, awardedCents: y.awarded_cents, paidCents: y.paid_cents, outstandingCents: y.outstanding_cents })));
  const head = el('tr', {}, [t('agency'), t('orders'), t('paidInFull'), t('overdue'), t('outstanding'), t('medianDays'), t('acknowledgedOfReminded')]
    .map((h, i) => el('th', { scope: 'col', class: i >= 1 ? 'num' : undefined }, h)));
  // "9 of 17 (53%)": the rate only where both counts are published.
  /** @param {any} a */
  const acknowledgment = (a) => {
    const both = typeof a.acknowledged === 'number' && typeof a.reminded === 'number' && a.reminded > 0;
    return `${count(a.acknowledged)} ${t('ofWord')} ${count(a.reminded)}${both ? ` (${Math.round((100 * a.acknowledged) / a.reminded)}%)` : ''}`;
  };
  const rows = league.data.items.map((/** @type {any} */ a) => el('tr', {}, el('th', { scope: 'row' }, a.agency), el('td', { class: 'num' }, count(a.orders)), el('td', { class: 'num' }, count(a.paid_in_full)),
    el('td', { class: 'num' }, count(a.overdue)), el('td', { class: 'num money' }, kes(a.outstanding_cents)), el('td', { class: 'num' }, count(a.median_months_to_full_payment)),
    el('td', { class: 'num', 'data-column': 'acknowledged' }, acknowledgment(a))));
  const table = document.getElementById('league');
  table.querySelectorAll('thead, tbody').forEach((n) => n.remove());
  table.append(el('thead', {}, head), el('tbody', {}, rows));
  await indicatorsTable();
  await accountabilityTable();
}

/** The latest quarter's indicators from the release: value (withheld where 5 or fewer stand behind it) and target. */
async function indicatorsTable() {
  const res = await api('GET', '/api/public/indicators');
  if (!res.ok) return;
  /** @type {any[]} */
  const quarters = res.data.items.filter((/** @type {any} */ r) => r.period_kind === 'quarter');
  const latest = quarters.map((r) => r.period).sort().pop();
  /** @type {Record<string, string>} */
  const unit = { percent: '%', months: lang() === 'sw' ? ' miezi' : ' months', per_100: ' / 100', cents: '' };
  /** @param {any} r @param {any} v */
  const show = (r, v) => (v === 'no data' ? t('noData') : marker(v) ?? (r.unit === 'cents' ? kes(v) : `${v}${unit[r.unit]}`));
  const head = el('tr', {}, [t('indicator'), t('value'), t('target')].map((h, i) => el('th', { scope: 'col', class: i ? 'num' : undefined }, h)));
  const rows = quarters.filter((r) => r.period === latest).map((r) => el('tr', {},
    el('th', { scope: 'row' }, lang() === 'sw' ? r.name_sw : r.name_en),
    el('td', { class: 'num' }, `${show(r, r.value)}${r.to_date ? ` (${t('soFar')})` : ''}`),
    el('td', { class: 'num' }, r.target === null ? '—' : `${r.target_direction === 'at_most' ? '≤' : '≥'} ${show(r, r.target)}`)));
  const table = /** @type {HTMLElement} */ (document.getElementById('indicators'));
  table.querySelectorAll('thead, tbody').forEach((n) => n.remove());
  table.append(el('thead', {}, head), el('tbody', {}, rows));
}

/** The accountability funnel per responsible body, and in all, from the release's incident tables. */
async function accountabilityTable() {
  const res = await api('GET', '/api/public/accountability');
  if (!res.ok || !res.data.tables) return;
  const { totals, by_body: byBody } = res.data.tables;
  const cols = ['documented', 'investigated', 'charged', 'convicted', 'stalled', 'median_months_to_charge'];
  const head = el('tr', {}, [t('body'), ...cols.map((c) => t(c === 'median_months_to_charge' ? 'medianCharge' : c))]
    .map((h, i) => el('th', { scope: 'col', class: i ? 'num' : undefined }, h)));
  /** @param {string} name @param {any} r */
  const line = (name, r) => el('tr', {}, el('th', { scope: 'row' }, name), ...cols.map((c) => el('td', { class: 'num' }, r[c] === null || r[c] === undefined ? '—' : count(r[c]))));
  const rows = [...byBody.map((/** @type {any} */ r) => line(r.body, r)), ...totals.map((/** @type {any} */ r) => line(t('allBodies'), r))];
  const table = /** @type {HTMLElement} */ (document.getElementById('accountability'));
  table.querySelectorAll('thead, tbody').forEach((n) => n.remove());
  table.append(el('thead', {}, head), el('tbody', {}, rows));
}

/**
 * Grouped bars per year: awarded, paid, outstanding. SVG with a text alternative.
 * @param {HTMLElement} container @param {{ key: string, [k: string]: any }[]} years
 */
function drawChart(container, years) {
  const ns = 'http://www.w3.org/2000/svg';
  const w = 640; const h = 260; const pad = 40;
  const series = [['awardedCents', '#0b5394', t('awarded')], ['paidCents', '#1e6b30', t('paid')], ['outstandingCents', '#8a1c1c', t('outstanding')]];
  const max = Math.max(1, ...years.flatMap((y) => series.map(([k]) => Number(y[k] ?? 0))));
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`); svg.setAttribute('role', 'img'); svg.setAttribute('width', '100%');
  svg.setAttribute('aria-label', years.map((y) => `${y.key}: ${series.map(([k, , label]) => `${label} ${kes(y[k])}`).join(', ')}`).join('; ') || t('none'));
  const band = (w - pad * 2) / Math.max(1, years.length);
  years.forEach((y, i) => {
    series.forEach(([k, colour], j) => {
      const v = Number(y[k] ?? 0); const bh = ((h - pad * 2) * v) / max;
      const r = document.createElementNS(ns, 'rect');
      Object.entries({ x: pad + i * band + j * (band / 4) + band / 8, y: h - pad - bh, width: band / 4 - 2, height: bh, fill: colour }).forEach(([a, val]) => r.setAttribute(a, String(val)));
      r.dataset.series = k; svg.append(r);
    });
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', String(pad + i * band + band / 2)); label.setAttribute('y', String(h - pad + 16)); label.setAttribute('text-anchor', 'middle');
    label.textContent = y.key; svg.append(label);
  });
  series.forEach(([, colour, name], j) => {
    const r = document.createElementNS(ns, 'rect'); r.setAttribute('x', String(pad + j * 150)); r.setAttribute('y', '8'); r.setAttribute('width', '12'); r.setAttribute('height', '12'); r.setAttribute('fill', colour);
    const tx = document.createElementNS(ns, 'text'); tx.setAttribute('x', String(pad + j * 150 + 16)); tx.setAttribute('y', '18'); tx.textContent = name;
    svg.append(r, tx);
  });
  container.replaceChildren(svg);
}

