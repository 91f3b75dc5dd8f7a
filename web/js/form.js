/**
 * The one form helper: a form built from the API's own request schema (js/schema.js). Each field gets its label in the
 * reader's language, an input that suits it (a date, an amount in shillings for *Cents, a number, a choice, a tick),
 * and a place for its error, named `${id}-${field}-error` with the field's path as the API names it, so a refusal
 * is shown beside the field it concerns. Amounts are turned into cents exactly; nothing is sent until they parse.
 */
import { centsFromShillings, el, fieldLabel, t, valueWord } from './core.js';
import { bodySchema, discriminatorOf, isNullable, nonNull } from './schema.js';

/** @typedef {import('./schema.js').JsonSchema} JsonSchema */
/** @typedef {import('./core.js').Answer} Answer */
/**
 * @typedef {object} FormOptions
 * @property {string} id            prefix of every element id; also the form's data-step
 * @property {string} title
 * @property {[string, string]|JsonSchema} schema   [method, OpenAPI path] or a schema
 * @property {(body: Record<string, any>) => Promise<Answer>} submit
 * @property {(answer: Answer) => void|Promise<void>} [done]
 * @property {string[]} [omit]       fields the page fills in itself
 * @property {Record<string, any>} [values]   initial values by path
 * @property {Record<string, {value: string, label: string}[]>} [choices]  choices for a field by path (e.g. agencies)
 * @property {string} [submitLabel]
 * @property {string} [headingLevel]
 */

const isDate = (/** @type {string} */ name, /** @type {JsonSchema} */ s) => s.pattern === '^\\d{4}-\\d{2}-\\d{2}$' || /On$|Date$|From$/.test(name);

/** @param {FormOptions} opts @returns {Promise<HTMLFormElement>} */
export async function schemaForm(opts) {
  const schema = Array.isArray(opts.schema) ? await bodySchema(opts.schema[0], opts.schema[1]) : opts.schema;
  const formError = el('p', { class: 'error', role: 'alert', id: `${opts.id}-form-error` });
  const fields = el('div', { class: 'fields' });
  const form = /** @type {HTMLFormElement} */ (el('form', { class: 'step', novalidate: true, 'data-step': opts.id, id: `${opts.id}-form` },
    el(opts.headingLevel ?? 'h3', {}, opts.title), fields, formError, el('button', { type: 'submit' }, opts.submitLabel ?? t('save'))));
  renderObject(fields, schema, '', opts);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.error').forEach((p) => { p.textContent = ''; });
    const body = collect(form, opts.id);
    if (!body) return;
    const answer = await opts.submit(body);
    if (answer.ok) { await opts.done?.(answer); return; }
    showErrors(form, opts.id, answer, formError);
  });
  return form;
}

/** @param {HTMLElement} into @param {JsonSchema} schema @param {string} prefix @param {FormOptions} opts */
function renderObject(into, schema, prefix, opts) {
  if (schema.oneOf) { renderUnion(into, schema.oneOf, prefix, opts); return; }
  const required = new Set(schema.required ?? []);
  const group = el('fieldset', {}, prefix ? el('legend', {}, fieldLabel(opts.id, prefix)) : null);
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (opts.omit?.includes(path)) continue;
    const s = nonNull(raw);
    if (s.type === 'object') { renderObject(group, s, path, opts); continue; }
    if (s.type === 'array' && s.items?.type === 'object') { renderRows(group, s, path, opts); continue; }
    group.append(control(path, s, required.has(name) && !isNullable(raw), isNullable(raw), opts));
  }
  into.append(group);
}

/** A union (a decision, a kind of correction): a choice of option, then only that option's fields. */
function renderUnion(/** @type {HTMLElement} */ into, /** @type {JsonSchema[]} */ options, /** @type {string} */ prefix, /** @type {FormOptions} */ opts) {
  const key = discriminatorOf(options);
  if (!key) throw new Error('a union without a discriminator');
  const path = prefix ? `${prefix}.${key}` : key;
  const id = `${opts.id}-${path}`;
  const select = /** @type {HTMLSelectElement} */ (el('select', { id, name: path, 'data-path': path, 'data-kind': 'text' },
    options.map((o) => { const v = String(o.properties?.[key]?.enum?.[0]); return el('option', { value: v }, valueWord(v)); })));
  const panes = options.map((o) => {
    const pane = el('div', { 'data-option': String(o.properties?.[key]?.enum?.[0]) });
    renderObject(pane, { ...o, properties: Object.fromEntries(Object.entries(o.properties ?? {}).filter(([k]) => k !== key)) }, prefix, opts);
    return pane;
  });
  const show = () => panes.forEach((p) => { p.hidden = p.dataset.option !== select.value; p.querySelectorAll('input, select, textarea').forEach((c) => { /** @type {HTMLInputElement} */ (c).disabled = p.hidden; }); });
  select.addEventListener('change', show);
  into.append(el('div', {}, el('label', { for: id }, fieldLabel(opts.id, path)), select, el('p', { class: 'error', id: `${id}-error` })), ...panes);
  show();
}

/** Rows of an array of objects (award components): one to start, more on request. */
function renderRows(/** @type {HTMLElement} */ into, /** @type {JsonSchema} */ s, /** @type {string} */ path, /** @type {FormOptions} */ opts) {
  const rows = el('div', { class: 'rows' });
  const box = el('fieldset', {}, el('legend', {}, fieldLabel(opts.id, path)), rows, el('p', { class: 'error', id: `${opts.id}-${path}-error` }));
  const add = () => { const i = rows.children.length; const row = el('div', { class: 'row' }); renderObject(row, /** @type {JsonSchema} */ (s.items), `${path}.${i}`, opts); rows.append(row); };
  const more = el('button', { type: 'button', class: 'link' }, '+');
  more.setAttribute('aria-label', `+ ${fieldLabel(opts.id, path)}`);
  more.addEventListener('click', add);
  add();
  box.append(more);
  into.append(box);
}

/** One input for a field. */
function control(/** @type {string} */ path, /** @type {JsonSchema} */ s, /** @type {boolean} */ required, /** @type {boolean} */ nullable, /** @type {FormOptions} */ opts) {
  const id = `${opts.id}-${path}`;
  const name = path.split('.').at(-1) ?? path;
  const label = fieldLabel(opts.id, path);
  const value = opts.values?.[path] ?? (s.default !== undefined ? String(s.default) : undefined);
  const common = { id, name: path, 'data-path': path, 'aria-describedby': `${id}-error`, ...(required ? { required: true } : {}), ...(nullable ? { 'data-nullable': true } : {}) };
  const error = el('p', { class: 'error', id: `${id}-error` });
  if (s.type === 'boolean') {
    const box = el('input', { ...common, type: 'checkbox', 'data-kind': 'boolean', ...(value === true ? { checked: true } : {}) });
    return el('div', { class: 'tick' }, el('label', { for: id }, box, ' ', label), error);
  }
  const choices = opts.choices?.[path] ?? (s.enum ?? (s.type === 'array' ? s.items?.enum : undefined))?.map((v) => ({ value: String(v), label: valueWord(v) }));
  let input;
  if (choices) {
    input = el('select', { ...common, 'data-kind': s.type === 'array' ? 'list' : 'text', ...(s.type === 'array' ? { multiple: true } : {}) },
      required || s.type === 'array' ? null : el('option', { value: '' }, '—'), choices.map((c) => el('option', { value: c.value, ...(c.value === value ? { selected: true } : {}) }, c.label)));
  } else if ((s.type === 'integer' || s.type === 'number') && /Cents$/.test(name)) {
    input = el('input', { ...common, type: 'text', inputmode: 'decimal', placeholder: t('moneyHint'), 'data-kind': 'money', ...(value ? { value } : {}) });
  } else if (s.type === 'integer' || s.type === 'number') {
    input = el('input', { ...common, type: 'number', step: 1, ...(s.minimum !== undefined ? { min: s.minimum } : {}), 'data-kind': 'int', ...(value !== undefined ? { value } : {}) });
  } else if (isDate(name, s)) {
    input = el('input', { ...common, type: 'date', 'data-kind': 'text', ...(value ? { value } : {}) });
  } else {
    input = el(['needsNote', 'reason', 'reasons', 'action'].includes(name) ? 'textarea' : 'input', { ...common, ...(name === 'password' ? { type: 'password', autocomplete: 'new-password' } : {}), 'data-kind': 'text', ...(value ? { value } : {}) });
  }
  return el('div', {}, el('label', { for: id }, label), input, error);
}

/** The body from the form's fields (nested by path); null when an amount does not parse (its error is shown). */
function collect(/** @type {HTMLFormElement} */ form, /** @type {string} */ id) {
  /** @type {Record<string, any>} */
  const body = {};
  let ok = true;
  for (const c of /** @type {NodeListOf<HTMLInputElement|HTMLSelectElement>} */ (form.querySelectorAll('[data-path]'))) {
    if (c.disabled) continue;
    const path = c.dataset.path ?? ''; const kind = c.dataset.kind;
    let value;
    if (kind === 'boolean') value = /** @type {HTMLInputElement} */ (c).checked;
    else if (kind === 'list') value = [.../** @type {HTMLSelectElement} */ (c).selectedOptions].map((o) => o.value);
    else {
      const text = c.value.trim();
      if (text === '') { if (c.dataset.nullable !== undefined) set(body, path, null); continue; }
      if (kind === 'money') {
        value = centsFromShillings(text);
        if (value === null) { const p = document.getElementById(`${id}-${path}-error`); if (p) p.textContent = t('badMoney'); ok = false; continue; }
      } else value = kind === 'int' ? Number(text) : text;
    }
    set(body, path, value);
  }
  return ok ? body : null;
}

/** @param {Record<string, any>} target @param {string} path @param {unknown} value */
function set(target, path, value) {
  const parts = path.split('.');
  let at = target;
  parts.slice(0, -1).forEach((p, i) => { const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? ''); at[p] ??= nextIsIndex ? [] : {}; at = at[p]; });
  at[parts.at(-1) ?? path] = value;
}

/** Each error beside its field (or the nearest enclosing one); what has no field goes to the form's own line. */
function showErrors(/** @type {HTMLFormElement} */ form, /** @type {string} */ id, /** @type {Answer} */ answer, /** @type {HTMLElement} */ formError) {
  let placed = false;
  for (const err of answer.data?.errors ?? []) {
    const parts = String(err.field).split('.');
    for (let n = parts.length; n > 0; n--) {
      const target = form.querySelector(`[id="${id}-${parts.slice(0, n).join('.')}-error"]`);
      if (target) { target.textContent = err.rule; placed = true; break; }
    }
  }
  if (!placed) formError.textContent = answer.data?.detail ?? answer.data?.title ?? `HTTP ${answer.status}`;
}
