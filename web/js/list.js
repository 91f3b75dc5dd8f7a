/**
 * A list page's filters, search, sort, paging and CSV export, kept in the address (so a filtered list can be
 * bookmarked or sent): claims, referrals, and any list to come.
 */
import { api, download, el, t, table } from './core.js';

/**
 * @typedef {{ name: string, label: string, choices?: {value: string, label: string}[], type?: string }} Filter
 * @typedef {{ endpoint: string, csv?: string, filters: Filter[], heads: string[], row: (item: any) => any[], pageSize?: number, tableId: string }} ListSpec
 */

/** @param {HTMLElement} into @param {ListSpec} spec */
export async function listPage(into, spec) {
  const params = new URLSearchParams(location.search);
  const controls = spec.filters.map((f) => {
    const id = `filter-${f.name}`;
    const current = params.get(f.name) ?? '';
    const input = f.choices
      ? el('select', { id, name: f.name }, el('option', { value: '' }, t('any')), f.choices.map((c) => el('option', { value: c.value, ...(c.value === current ? { selected: true } : {}) }, c.label)))
      : el('input', { id, name: f.name, type: f.type ?? 'search', value: current });
    return el('div', {}, el('label', { for: id }, f.label), input);
  });
  const filters = /** @type {HTMLFormElement} */ (el('form', { class: 'filters', role: 'search' }, el('fieldset', {}, el('legend', {}, t('filters')), controls), el('button', { type: 'submit' }, t('apply'))));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const c of /** @type {NodeListOf<HTMLInputElement>} */ (filters.querySelectorAll('input, select'))) if (c.value) next.set(c.name, c.value);
    location.search = next.toString();
  });
  const limit = spec.pageSize ?? 25;
  const offset = Number(params.get('offset') ?? 0) || 0;
  const query = new URLSearchParams([...params].filter(([k]) => k !== 'offset'));
  query.set('limit', String(limit)); query.set('offset', String(offset));
  const res = await api('GET', `${spec.endpoint}?${query}`);
  const items = res.ok ? res.data.items : [];
  const total = res.ok ? res.data.total : 0;
  const pageLink = (/** @type {number} */ to, /** @type {string} */ label) => {
    const p = new URLSearchParams(params); p.set('offset', String(to));
    return el('a', { href: `?${p}` }, label);
  };
  const pager = el('nav', { class: 'pager', 'aria-label': 'pages' },
    offset > 0 ? pageLink(Math.max(0, offset - limit), t('previous')) : null, ' ',
    el('span', {}, t('pageOf', { from: total ? offset + 1 : 0, to: Math.min(offset + limit, total), total })), ' ',
    offset + limit < total ? pageLink(offset + limit, t('next')) : null);
  const exportButton = spec.csv ? el('button', { type: 'button', class: 'secondary' }, t('exportCsv')) : null;
  exportButton?.addEventListener('click', () => {
    const q = new URLSearchParams([...params].filter(([k]) => k !== 'offset'));
    void download(`${spec.csv}?${q}`, spec.csv?.split('/').at(-1) ?? 'list.csv');
  });
  into.replaceChildren(filters, el('div', { class: 'table-wrap' }, table(spec.heads, items.map(spec.row), { id: spec.tableId })), pager, exportButton ?? '');
  if (!res.ok) into.prepend(el('p', { class: 'error' }, res.data?.detail ?? res.data?.title));
}
