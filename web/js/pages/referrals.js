/** Referrals: filters (stage, service, provider), search, paging, CSV for administrators. */
import { el, kes, startPage, t, words } from '../core.js';
import { listPage } from '../list.js';

const STAGES = ['consented', 'assessed', 'referred', 'funding_queued', 'funded', 'in_care', 'completed', 'discontinued', 'funding_refused'];
const SERVICES = ['medical', 'psychological', 'psychosocial', 'physiotherapy', 'legal_aid', 'socio_economic'];

startPage(async (user) => {
  if (!user) return;
  await listPage(/** @type {HTMLElement} */ (document.getElementById('list')), {
    endpoint: '/api/referrals', csv: user.role === 'administrator' ? '/api/referrals.csv' : undefined, tableId: 'referrals',
    filters: [
      { name: 'q', label: t('search') },
      { name: 'stage', label: t('stage'), choices: STAGES.map((s) => ({ value: s, label: words(s) })) },
      { name: 'service', label: t('service'), choices: SERVICES.map((s) => ({ value: s, label: words(s) })) },
      { name: 'providerId', label: t('provider'), type: 'search' },
    ],
    heads: [t('referral'), t('service'), t('stage'), t('provider'), t('paid')],
    row: (r) => [el('a', { href: `/referral?id=${encodeURIComponent(r.id)}` }, r.id), words(r.service), words(r.stage), r.providerId ?? '—', el('td', { class: 'num money' }, kes(r.paidCents))],
  });
}, { roles: ['administrator', 'advocate', 'auditor'] });
