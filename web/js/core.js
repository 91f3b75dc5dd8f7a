/**
 * What every page shares: words in the reader's language, the signed-in session, calls to the JSON API, money
 * written exactly (BigInt, never a float), the page header, and the start of a page. A page is a module in
 * js/pages/ that calls startPage; a new area (incidents, say) adds its pages and one entry to NAV.
 */
import en from './i18n/en.js';
import sw from './i18n/sw.js';

/** @typedef {{ id: string, name: string, role: 'administrator'|'advocate'|'auditor'|'provider'|'investigator'|'prosecutor'|'documenting_organisation', advocateId: string|null, providerId: string|null }} User */
/** @typedef {{ ok: boolean, status: number, data: any, filename?: string }} Answer */

const WORDS = { en, sw };
/** @returns {'en'|'sw'} */
export const lang = () => (localStorage.getItem('redress-lang') === 'sw' ? 'sw' : 'en');
/** @param {string} key @param {Record<string, string|number>} [vars] */
export const t = (key, vars = {}) => Object.entries(vars).reduce((s, [k, v]) => s.replace(`{${k}}`, String(v)), WORDS[lang()].ui[key] ?? key);
/** The label of a form field: by form and name, by dotted path, by name, else the name itself. @param {string} formId @param {string} path */
export function fieldLabel(formId, path) {
  const f = WORDS[lang()].fields; const name = path.split('.').at(-1) ?? path;
  return f[`${formId}.${name}`] ?? f[path.replace(/\.\d+\./g, '.')] ?? f[name] ?? name;
}
/** @param {string} path */
export const stepTitle = (path) => WORDS[lang()].steps[path] ?? path;
/** @param {string} s */
export const words = (s) => String(s).replace(/_/g, ' ');
/** A value the API uses (a stage, an act, a track) in the reader's language; '—' for none. @param {unknown} v */
export const valueWord = (v) => (v === null || v === undefined ? '—' : WORDS[lang()].values[String(v)] ?? words(String(v)));

/**
 * One element with attributes and children.
 * @param {string} tag @param {Record<string, any>} [attrs] @param {...any} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** A table with a header row; `rows` are arrays of cells (nodes or text; a TD or TH element is taken as it is). @param {string[]} heads @param {any[][]} rows */
export function table(heads, rows, attrs = {}) {
  const body = rows.length ? rows.map((r) => el('tr', {}, r.map((c) => (c instanceof HTMLElement && (c.tagName === 'TD' || c.tagName === 'TH') ? c : el('td', {}, c)))))
    : [el('tr', {}, el('td', { colspan: heads.length }, t('none')))];
  return el('table', attrs, el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, body));
}

/**
 * A table of figures: the first column names each row (a row header), the others are numbers, right-aligned.
 * @param {string[]} heads @param {any[][]} rows @param {Record<string, any>} [attrs] @param {(row: any[], i: number) => Record<string, any>} [rowAttrs]
 */
export function figures(heads, rows, attrs = {}, rowAttrs = () => ({})) {
  return el('table', attrs, el('thead', {}, el('tr', {}, heads.map((h, k) => el('th', { scope: 'col', class: k ? 'num' : undefined }, h)))),
    el('tbody', {}, rows.map((r, i) => el('tr', rowAttrs(r, i), el('th', { scope: 'row' }, r[0]), r.slice(1).map((c) => el('td', { class: 'num' }, c))))));
}

const MARKERS = { '5 or fewer': ['5 or fewer', '5 au chini'], hidden: ['hidden', 'imefichwa'], withheld: ['withheld', 'imezuiliwa'] };
/** @param {unknown} v */
export const marker = (v) => MARKERS[/** @type {keyof MARKERS} */ (String(v))]?.[lang() === 'sw' ? 1 : 0];
/** @param {unknown} n */
export const count = (n) => marker(n) ?? String(n);

/** Cents (an integer) as "KSh 1,234.56", exactly. @param {number|string|null|undefined} cents */
export function kes(cents) {
  if (cents === null || cents === undefined) return '—';
  const m = marker(cents); if (m) return m;
  const c = BigInt(cents); const neg = c < 0n; const a = neg ? -c : c;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}KSh ${whole}.${(a % 100n).toString().padStart(2, '0')}`;
}
/** "1,250,000.50" (shillings) to cents without floating point; null if it is not an amount. @param {string} text */
export function centsFromShillings(text) {
  const s = String(text).trim().replace(/^KSh\s*/i, '');
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const cents = BigInt((m[1] ?? '0').replace(/,/g, '')) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  return cents <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cents) : null;
}
/** Today in Nairobi (UTC+3), as a court writes dates. */
export const today = () => new Date(Date.now() + 3 * 3600e3).toISOString().slice(0, 10);

/** @returns {{ token: string, user: User } | null} */
export const session = () => JSON.parse(sessionStorage.getItem('redress-session') ?? 'null');

/**
 * A call to the API as the signed-in user; a POST carries a fresh Idempotency-Key, so a double click records once.
 * @param {string} method @param {string} path @param {unknown} [body] @param {{ raw?: BodyInit, type?: string, blob?: boolean }} [opts]
 * @returns {Promise<Answer>}
 */
export async function api(method, path, body, opts = {}) {
  const s = session();
  /** @type {Record<string, string>} */
  const headers = s ? { authorization: `Bearer ${s.token}` } : {};
  if (method === 'POST' && s) headers['idempotency-key'] = `web-${crypto.randomUUID()}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (opts.type) headers['content-type'] = opts.type;
  const res = await fetch(path, { method, headers, body: opts.raw ?? (body !== undefined ? JSON.stringify(body) : undefined) });
  if (res.status === 401 && s) { sessionStorage.removeItem('redress-session'); location.href = '/signin'; }
  if (opts.blob && res.ok) {
    const filename = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    return { ok: true, status: res.status, data: await res.blob(), ...(filename ? { filename } : {}) };
  }
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  return { ok: res.ok, status: res.status, data };
}

/**
 * Saves a file the API sends (with the session's credential, so not a plain link), under the name given, else the
 * one the API gives it. @param {string} path @param {string} [filename]
 */
export async function download(path, filename) {
  const res = await api('GET', path, undefined, { blob: true });
  if (!res.ok) return;
  const a = el('a', { href: URL.createObjectURL(res.data), download: filename ?? res.filename ?? 'download' });
  document.body.append(a); a.click(); a.remove();
}

/**
 * Buttons that download a report as CSV and as PDF (the API serves each at its path plus .csv or .pdf), saved under
 * the name the API gives. @param {string} path @param {URLSearchParams} query @returns {(HTMLElement|string)[]}
 */
export function downloadButtons(path, query) {
  return [['csv', 'text/csv', 'downloadCsvFile'], ['pdf', 'application/pdf', 'downloadPdf']].flatMap(([ext, type, key], k) => {
    const b = el('button', { type: 'button', 'data-type': type }, t(key ?? ''));
    b.addEventListener('click', () => { void download(`${path}.${ext}?${query}`); });
    return k ? [' ', b] : [b];
  });
}

/** The pages each role reaches from the header. Other areas add theirs here. */
export const NAV = [
  { href: '/claims', key: 'claims', roles: ['administrator', 'advocate', 'auditor'] },
  { href: '/referrals', key: 'referralsNav', roles: ['administrator', 'advocate', 'auditor'] },
  { href: '/provider', key: 'providerNav', roles: ['provider'] },
  { href: '/incidents', key: 'incidentsNav', roles: ['administrator', 'auditor', 'investigator', 'prosecutor', 'documenting_organisation'] },
  { href: '/fund', key: 'fund', roles: ['administrator', 'auditor'] },
  { href: '/pending-bills', key: 'pendingBillsNav', roles: ['administrator', 'auditor'] },
  { href: '/indicators', key: 'indicatorsNav', roles: ['administrator', 'auditor'] },
  { href: '/imports', key: 'imports', roles: ['administrator'] },
  { href: '/admin', key: 'administration', roles: ['administrator'] },
];

/** @param {User|null} user */
function header(user) {
  const langButton = el('button', { class: 'link', type: 'button' }, t('language'));
  langButton.addEventListener('click', () => { localStorage.setItem('redress-lang', lang() === 'en' ? 'sw' : 'en'); location.reload(); });
  const items = [];
  if (user) {
    for (const n of NAV.filter((x) => x.roles.includes(user.role))) items.push(el('a', { href: n.href, ...(location.pathname === n.href ? { 'aria-current': 'page' } : {}) }, t(n.key)));
    items.push(el('span', { id: 'whoami' }, `${user.name} (${user.role})`));
    const out = el('button', { class: 'link', type: 'button' }, t('signOut'));
    out.addEventListener('click', async () => {
      await api('DELETE', '/api/session'); await api('DELETE', '/codec/session'); sessionStorage.removeItem('redress-session'); location.href = '/';
    });
    items.push(out);
  } else if (document.body.dataset.page === 'public') {
    items.push(el('a', { href: '/signin' }, t('signIn')));
  }
  items.push(langButton);
  const nav = el('nav', { 'aria-label': 'Redress' }, items.flatMap((x, i) => (i ? [' · ', x] : [x])));
  const home = user ? NAV.find((n) => n.roles.includes(user.role))?.href ?? '/' : '/';
  return el('header', {}, el('a', { href: home }, el('strong', {}, t('brand'))), nav);
}

/** Shows a message in the page's live region (#message unless the page names another). @param {string} text @param {'ok'|'error'} [kind] @param {string} [at] */
export function say(text, kind = 'ok', at = 'message') {
  const m = document.getElementById(at);
  if (!m) return;
  m.hidden = false; m.className = kind === 'ok' ? 'notice' : 'notice error'; m.textContent = text;
}

/**
 * Starts a page: words, header, then the page itself (signed-in pages send the signed-out to /signin).
 * @param {(user: User|null) => Promise<void>|void} render
 * @param {{ public?: boolean, roles?: string[], message?: string }} [opts]  roles: who may open the page; message: the id of its live region
 */
export function startPage(render, opts = {}) {
  const start = async () => {
    document.documentElement.lang = lang();
    document.querySelectorAll('[data-i18n]').forEach((n) => { n.textContent = t(/** @type {HTMLElement} */ (n).dataset.i18n ?? ''); });
    const user = session()?.user ?? null;
    if (!opts.public && !user) { location.href = '/signin'; return; }
    document.body.prepend(header(user));
    if (opts.roles && user && !opts.roles.includes(user.role)) { say(t('notFound'), 'error', opts.message); return; }
    await render(user);
  };
  const run = () => { start().catch((err) => { console.error(err); say(String(err), 'error', opts.message); }); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run); else run();
}
