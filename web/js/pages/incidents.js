/**
 * Incidents: filters (act, county, year, each track's stage, overdue), search and paging, the most overdue first;
 * registration of an incident with one act for documenting organisations and administrators.
 */
import { api, el, startPage, t, valueWord } from '../core.js';
import { schemaForm } from '../form.js';
import { listPage } from '../list.js';
import { bodySchema, queryChoices } from '../schema.js';

/** @param {string[]} [values] */
const choicesOf = (values = []) => values.map((v) => ({ value: v, label: valueWord(v) }));

startPage(async (user) => {
  if (!user) return;
  const choices = await queryChoices('get', '/api/incidents');
  await listPage(/** @type {HTMLElement} */ (document.getElementById('list')), {
    endpoint: '/api/incidents', tableId: 'incidents',
    filters: [
      { name: 'q', label: t('incidentSearch') },
      { name: 'overdue', label: t('onlyOverdue'), choices: [{ value: 'true', label: t('yes') }] },
      { name: 'act', label: t('act'), choices: choicesOf(choices.act) },
      { name: 'county', label: t('county'), choices: choicesOf(choices.county) },
      { name: 'year', label: t('year'), type: 'number' },
      ...['investigation', 'prosecution', 'inquest'].map((track) => ({ name: `${track}Stage`, label: valueWord(track), choices: choicesOf(choices[`${track}Stage`]) })),
    ],
    heads: [t('reference'), t('occurred'), t('county'), t('acts'), t('stages'), t('level')],
    row: (i) => [el('a', { href: `/incident?id=${encodeURIComponent(i.id)}` }, i.reference), i.occurredOn, i.county, i.acts.map(valueWord).join(', '),
      [i.stages.investigation, i.stages.prosecution, i.stages.inquest].map(valueWord).join(' / '),
      el('td', { class: `num ${i.escalationLevel >= 0 ? 'overdue' : ''}` }, i.escalationLevel >= 0 ? String(i.escalationLevel) : t('notLevel'))],
  });
  if (user.role === 'administrator' || user.role === 'documenting_organisation') await registration(user.role === 'administrator');
}, { roles: ['administrator', 'auditor', 'investigator', 'prosecutor', 'documenting_organisation'] });

/** Where a field the API names lands in the one-act form: acts.0.perpetrator.agencyId is agencyId, sources.0.on is sourceOn. @param {string} field */
function flatField(field) {
  const act = /^acts\.\d+\.(?:perpetrator\.)?(\w+)$/.exec(field);
  if (act) return act[1] ?? field;
  const source = /^sources\.\d+\.(kind|on)$/.exec(field);
  if (source) return source[1] === 'kind' ? 'sourceKind' : 'sourceOn';
  return field;
}

/**
 * The registration form: one act and one source, each field with the API's own schema for it (incidents with
 * several acts or victims come through the import or the API). @param {boolean} administrator
 */
async function registration(administrator) {
  const section = /** @type {HTMLElement} */ (document.getElementById('register'));
  const agencies = (await api('GET', '/api/agencies')).data.items ?? [];
  const p = (await bodySchema('post', '/api/incidents')).properties ?? {};
  const act = p.acts?.items?.properties ?? {};
  const perpetrator = act.perpetrator?.properties ?? {};
  const source = p.sources?.items?.properties ?? {};
  const schema = {
    type: 'object', required: ['reference', 'occurredOn', 'county', 'placeCategory', 'act', 'victimRef', 'agencyId', 'unitCategory', 'sourceKind'],
    properties: {
      reference: p.reference, ...(administrator ? { documentingOrganisationId: p.documentingOrganisationId } : {}), occurredOn: p.occurredOn,
      county: p.county, placeCategory: p.placeCategory, act: act.act, victimRef: act.victimRef, claimantRef: act.claimantRef,
      agencyId: perpetrator.agencyId, unitCategory: perpetrator.unitCategory, sourceKind: source.kind, sourceOn: source.on,
    },
  };
  const form = await schemaForm({
    id: 'reg', title: t('registerIncident'), submitLabel: t('registerIncident'), headingLevel: 'h2', schema,
    values: { county: 'nairobi' }, choices: { agencyId: agencies.map((/** @type {any} */ a) => ({ value: a.id, label: a.name })) },
    submit: async (f) => {
      const answer = await api('POST', '/api/incidents', {
        reference: f.reference, documentingOrganisationId: f.documentingOrganisationId, occurredOn: f.occurredOn, county: f.county, placeCategory: f.placeCategory,
        acts: [{ act: f.act, victimRef: f.victimRef, claimantRef: f.claimantRef, perpetrator: { agencyId: f.agencyId, unitCategory: f.unitCategory } }],
        sources: [{ kind: f.sourceKind, on: f.sourceOn ?? f.occurredOn }],
      });
      if (!answer.ok && Array.isArray(answer.data?.errors)) answer.data.errors = answer.data.errors.map((/** @type {any} */ e) => ({ ...e, field: flatField(String(e.field)) }));
      return answer;
    },
    done: (answer) => { location.href = `/incident?id=${encodeURIComponent(answer.data.id)}`; },
  });
  form.id = 'register-form';
  form.querySelector('h2')?.after(el('p', {}, t('registerHint')));
  section.append(form);
  section.hidden = false;
}
