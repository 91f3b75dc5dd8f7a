/** Claims: filters (stage, agency, overdue, escalation level, stayed), search, sort, paging, CSV for administrators; registration. */
import { api, el, kes, startPage, t, today, words } from '../core.js';
import { schemaForm } from '../form.js';
import { listPage } from '../list.js';

const STAGES = ['registered', 'certificate_issued', 'certificate_served', 'budget_allocated', 'disbursing', 'paid_in_full', 'settled', 'withdrawn', 'set_aside'];
const yesNo = () => [{ value: 'true', label: t('yes') }, { value: 'false', label: t('no') }];

startPage(async (user) => {
  if (!user) return;
  const agencies = (await api('GET', '/api/agencies')).data.items ?? [];
  await listPage(/** @type {HTMLElement} */ (document.getElementById('list')), {
    endpoint: '/api/claims', csv: user.role === 'administrator' ? '/api/claims.csv' : undefined, tableId: 'claims',
    filters: [
      { name: 'q', label: t('search') },
      { name: 'stage', label: t('stage'), choices: STAGES.map((s) => ({ value: s, label: words(s) })) },
      { name: 'agency', label: t('agency'), choices: agencies.map((/** @type {any} */ a) => ({ value: a.id, label: a.name })) },
      { name: 'overdue', label: t('overdueOnly'), choices: yesNo() },
      { name: 'escalationLevel', label: t('minLevel'), choices: [0, 1, 2, 3, 4].map((n) => ({ value: String(n), label: String(n) })) },
      { name: 'stayed', label: t('stayed'), choices: yesNo() },
      { name: 'sort', label: t('sort'), choices: [['escalation', 'sortEscalation'], ['judgment', 'sortJudgment'], ['updated', 'sortUpdated'], ['case', 'sortCase']].map(([v, k]) => ({ value: v ?? '', label: t(k ?? '') })) },
    ],
    heads: [t('caseNumber'), t('court'), t('stage'), t('level'), t('outstanding')],
    row: (c) => [el('a', { href: `/claim?id=${encodeURIComponent(c.id)}` }, c.caseNumber), c.court,
      [words(c.stage), c.stayed ? el('span', { class: 'badge stayed' }, t('stayed')) : ''],
      el('td', { class: `num ${c.escalationLevel >= 0 ? 'overdue' : ''}` }, c.escalationLevel >= 0 ? String(c.escalationLevel) : t('notLevel')),
      el('td', { class: 'num money' }, kes(c.outstandingCents))],
  });
  if (user.role !== 'administrator') return;
  const section = /** @type {HTMLElement} */ (document.getElementById('register'));
  section.hidden = false;
  section.append(await schemaForm({
    id: 'reg', title: t('registerOrder'), submitLabel: t('registerOrder'), headingLevel: 'h2', schema: ['post', '/api/claims'],
    choices: { respondentAgencyId: agencies.map((/** @type {any} */ a) => ({ value: a.id, label: a.name })) },
    values: { 'components.0.label': 'General damages', 'components.0.interestFrom': today() },
    submit: (body) => api('POST', '/api/claims', body),
    done: (answer) => { location.href = `/claim?id=${encodeURIComponent(answer.data.id)}`; },
  }));
});
