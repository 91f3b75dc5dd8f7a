/** Administration: agencies, contacts, advocates, providers, fund receipts and users, each a form from the API's schema; acknowledgment rates. */
import { api, el, say, startPage, stepTitle, t, table } from '../core.js';
import { schemaForm } from '../form.js';

/** [form id, API path, title key in steps or a plain title] */
const FORMS = [
  ['agency', '/api/agencies', 'Add a respondent agency'],
  ['contact', '/api/contacts', 'Set a contact for a ladder role'],
  ['advocate', '/api/advocates', 'Add or update an advocate'],
  ['provider', '/api/providers', 'Register a rehabilitation provider'],
  ['receipt', '/api/fund/receipts', 'Record money received by the fund'],
  ['user', '/api/users', 'Create a user'],
];

startPage(async () => {
  const forms = await Promise.all(FORMS.map(([id, path, title]) => schemaForm({
    id: id ?? '', title: stepTitle(title ?? ''), headingLevel: 'h2', schema: ['post', path ?? ''],
    submit: (body) => api('POST', path ?? '', body),
    done: () => { say(`${stepTitle(title ?? '')}: ${t('recorded')}`); (/** @type {HTMLFormElement} */ (document.getElementById(`${id}-form`))).reset(); },
  })));
  document.getElementById('admin-forms').replaceChildren(...forms);
  const rates = await api('GET', '/api/agencies/acknowledgments');
  document.getElementById('rates').replaceChildren(table([t('agency'), t('reminders'), t('ratePercent'), t('commitments'), t('lapsed')],
    (rates.data.items ?? []).map((/** @type {any} */ r) => [r.agencyId, String(r.reminders), r.ratePercent === null ? '—' : `${r.ratePercent}%`, String(r.commitments), String(r.commitmentsLapsed)])));
  document.getElementById('links').replaceChildren(el('a', { href: '/fund' }, t('fundReport')), ' · ', el('a', { href: '/imports' }, t('importTitle')));
}, { roles: ['administrator'] });
