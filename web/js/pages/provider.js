/** A provider's day: the referrals sent to them, and for each the first appointment, sessions and invoices. */
import { api, el, kes, say, startPage, stepTitle, t, table, today, words } from '../core.js';
import { schemaForm } from '../form.js';

const STEPS = [['appointments', 'in funded'], ['sessions', 'in in_care'], ['invoices', 'in funded in_care completed']];

startPage(async () => {
  const render = async (/** @type {string|null} */ message) => {
    const list = await api('GET', '/api/provider/referrals');
    const items = list.data.items ?? [];
    document.getElementById('referrals').replaceChildren(table([t('referral'), t('service'), t('stage'), t('committed'), t('paid')],
      items.map((/** @type {any} */ r) => [el('a', { href: `?id=${encodeURIComponent(r.id)}` }, r.id.split('--').at(-1)), words(r.service), words(r.stage), kes(r.approvedCents), kes(r.paidCents)])));
    const id = new URLSearchParams(location.search).get('id');
    const slot = /** @type {HTMLElement} */ (document.getElementById('detail'));
    if (!id) { slot.replaceChildren(); if (message) say(message); return; }
    const res = await api('GET', `/api/provider/referrals/${encodeURIComponent(id)}`);
    if (!res.ok) { slot.replaceChildren(el('p', { class: 'error' }, res.data.detail ?? t('notFound'))); return; }
    const r = res.data;
    const forms = await Promise.all(STEPS.filter(([, stages]) => (stages ?? '').split(' ').includes(r.stage)).map(([path]) => schemaForm({
      id: `provider-${path}`, title: stepTitle(path ?? ''), schema: ['post', `/api/provider/referrals/{referralId}/${path}`],
      values: { appointmentOn: today(), sessionOn: today(), invoicedOn: today() },
      submit: (body) => api('POST', `/api/provider/referrals/${encodeURIComponent(id)}/${path}`, body),
      done: async () => { await render(`${stepTitle(path ?? '')}: ${t('recorded')}`); },
    })));
    slot.replaceChildren(el('h2', {}, `${t('referral')} ${id.split('--').at(-1)}: ${words(r.stage)}`),
      r.assessment?.needsNote ? el('p', { class: 'notice' }, r.assessment.needsNote) : '',
      el('h3', {}, t('invoices')), table([t('reference'), t('amount'), t('when')], r.invoices.map((/** @type {any} */ i) => [i.reference, kes(i.amountCents), i.invoicedOn])),
      ...forms);
    if (message) say(message);
  };
  await render(null);
}, { roles: ['provider'] });
