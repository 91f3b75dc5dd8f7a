/**
 * The monitoring and evaluation report for a quarter or a financial year: every indicator with its value, target and
 * trend (an SVG chart whose text alternative lists every value); the report as CSV or PDF.
 */
import { api, downloadButtons, el, figures, kes, lang, startPage, t } from '../core.js';

const REPORT = '/api/reports/indicators';

/** A value in its unit. @param {string} unit @param {number|null|undefined} value */
function showValue(unit, value) {
  if (value === null || value === undefined) return '—';
  if (unit === 'percent') return `${Number(value).toFixed(1)}%`;
  if (unit === 'days') return t('valueDays', { n: value });
  if (unit === 'cents') return kes(value);
  return t('valuePer100', { n: Number(value).toFixed(1) });
}
/** An indicator's value as the report gives it: no data, nothing to measure, or a value (to date, in a period not over). @param {any} v */
const shown = (v) => (v.status === 'no_data' ? t('indicatorNoData') : v.status === 'empty' && v.value === null ? t('nothingToMeasure')
  : `${showValue(v.unit, v.value)}${v.toDate ? ` (${t('toDate')})` : ''}`);
/** @param {any} i */
const targetText = (i) => (i.target ? `${i.target.direction === 'at_least' ? t('atLeast') : t('atMost')} ${showValue(i.value.unit, i.target.value)}` : t('noTarget'));

/** The trend as an SVG bar chart, with the target as a dashed line; its text alternative lists every value. @param {any} i */
function trendChart(i) {
  const ns = 'http://www.w3.org/2000/svg';
  const w = 640; const h = 200; const pad = 36;
  const points = i.trend.map((/** @type {any} */ p) => ({ label: p.period.id, value: p.value.status === 'value' ? p.value.value : null, caption: shown(p.value) }));
  const max = i.value.unit === 'percent' ? 100 : Math.max(1, ...points.map((/** @type {any} */ p) => p.value ?? 0), i.target?.value ?? 0) * 1.1;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`); svg.setAttribute('role', 'img'); svg.setAttribute('width', '100%');
  svg.setAttribute('aria-label', `${i.name[lang()]}: ${points.map((/** @type {any} */ p) => `${p.label} ${p.caption}`).join('; ')}${i.target ? `; ${t('target')} ${targetText(i)}` : ''}`);
  const add = (/** @type {string} */ tag, /** @type {Record<string, any>} */ attrs, /** @type {string} */ text = undefined) => {
    const n = document.createElementNS(ns, tag);
    Object.entries(attrs).forEach(([a, v]) => n.setAttribute(a, String(v)));
    if (text !== undefined) n.textContent = text;
    svg.append(n);
  };
  const band = (w - pad * 2) / Math.max(1, points.length);
  const y = (/** @type {number} */ v) => h - pad - ((h - pad * 2) * v) / max;
  add('line', { x1: pad, y1: h - pad, x2: w - pad, y2: h - pad, stroke: '#333' });
  points.forEach((/** @type {any} */ p, /** @type {number} */ k) => {
    const x = pad + k * band + band * 0.15;
    if (p.value !== null) add('rect', { x, y: y(p.value), width: band * 0.7, height: h - pad - y(p.value), fill: '#0b5394', 'data-period': p.label });
    add('text', { x: x + band * 0.35, y: (p.value !== null ? y(p.value) : h - pad) - 4, 'text-anchor': 'middle' }, p.value !== null ? showValue(i.value.unit, p.value) : '—');
    add('text', { x: x + band * 0.35, y: h - pad + 16, 'text-anchor': 'middle' }, p.label);
  });
  if (i.target) add('line', { x1: pad, x2: w - pad, y1: y(i.target.value), y2: y(i.target.value), stroke: '#8a1c1c', 'stroke-dasharray': '6 4', 'data-target': i.target.value });
  return svg;
}

startPage(async () => {
  const form = /** @type {HTMLFormElement} */ (document.getElementById('period-form'));
  const period = /** @type {HTMLInputElement} */ (document.getElementById('period'));
  period.value = new URLSearchParams(location.search).get('period') ?? '';
  const show = async () => {
    const q = new URLSearchParams({ period: period.value.trim(), lang: lang() });
    const res = await api('GET', `${REPORT}?${q}`);
    /** @type {HTMLElement} */ (document.getElementById('period-error')).textContent = res.ok ? '' : (res.data.errors?.[0]?.rule ?? res.data.detail ?? '');
    if (!res.ok) return;
    const r = res.data;
    /** @type {HTMLElement} */ (document.getElementById('title')).textContent = `${t('mneTitle')}: ${r.period.label[lang()]}`;
    const notice = /** @type {HTMLElement} */ (document.getElementById('notice'));
    notice.textContent = r.notice[lang()]; notice.hidden = false;
    const downloads = /** @type {HTMLElement} */ (document.getElementById('downloads'));
    downloads.replaceChildren(...downloadButtons(REPORT, q)); downloads.hidden = false;
    /** @type {HTMLElement} */ (document.getElementById('summary')).replaceWith(figures([t('indicator'), t('value'), t('target'), t('met'), t('financialYearToDate')],
      r.indicators.map((/** @type {any} */ i) => [el('a', { href: `#${i.id}` }, i.name[lang()]), shown(i.value), targetText(i),
        i.meetsTarget === null ? '—' : i.meetsTarget ? t('yes') : t('no'), i.financialYearToDate ? shown(i.financialYearToDate.value) : '—']),
      { id: 'summary' }, (_row, k) => ({ 'data-indicator': r.indicators[k].id })));
    /** @type {HTMLElement} */ (document.getElementById('indicators')).replaceChildren(...r.indicators.map((/** @type {any} */ i) => el('section', { id: i.id },
      el('h2', {}, i.name[lang()]),
      el('p', {}, `${t('value')}: ${shown(i.value)}. ${t('target')}: ${targetText(i)}.`),
      el('p', {}, `${t('measures')}: ${i.measures[lang()]}`),
      el('p', {}, `${t('numerator')}: ${i.numerator[lang()]}${i.denominator ? `. ${t('denominator')}: ${i.denominator[lang()]}` : ''}.`),
      el('p', {}, `${t('source')}: ${i.source.law}${i.source.recommendation ? `; ${i.source.recommendation}` : ''}.`),
      el('figure', {}, trendChart(i), el('figcaption', {}, t('trend'))))));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void show(); });
  if (period.value) await show();
}, { roles: ['administrator', 'auditor'] });
