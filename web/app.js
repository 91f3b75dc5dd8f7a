/* Redress pages: one small script, no framework. Talks to the JSON API; the token lives in sessionStorage. */
'use strict';

const T = {
  en: {
    brand: 'Redress', signIn: 'Sign in', signOut: 'Sign out', user: 'User', password: 'Password', myClaims: 'Claims',
    publicTitle: 'Court awards to survivors: what the State owes and what it has paid',
    suppressionNote: 'Figures are totals only, from a published release. Any count of 0 to 5 is shown as “5 or fewer”; a figure that would let someone work out a hidden one is “hidden”; amounts are rounded to two significant figures (at least to KSh 1 million). New orders are counted six or more at a time. No survivor is named. Counts are the court orders recorded in Redress, not every award ever made.',
    chartTitle: 'Amounts awarded, paid and still owed, by year of judgment',
    chartCaption: 'Amounts are as at the end of the month before the release; outstanding includes interest to then. Years whose amounts are withheld are left out.',
    leagueTitle: 'Compliance by respondent agency', downloadCsv: 'Open data: the tables of this release (CSV, with a data package)',
    releaseLine: 'Release {n}: counts as of {date}, amounts as at {money}.', noRelease: 'No figures have been published yet.',
    indicatorsTitle: 'Is the law being implemented? Indicators for the latest quarter', indicator: 'Indicator', value: 'Value', target: 'Target',
    noData: 'no data yet', soFar: 'so far',
    accountabilityTitle: 'Accountability: incidents documented, investigated, charged and convicted, by responsible body',
    accountabilityNote: 'Documented counts are what was reported to Redress, not how many violations happened. Counts of 0 to 5 are “5 or fewer”; a figure that would let someone work out a hidden one is “hidden”. No victim, officer or case is named.',
    body: 'Responsible body', documented: 'Documented', investigated: 'Investigated', charged: 'Charged', convicted: 'Convicted', stalled: 'Investigations stalled', medianCharge: 'Median months to charge', allBodies: 'All bodies',
    orders: 'Orders', awarded: 'Awarded', paid: 'Paid', outstanding: 'Outstanding today', overdue: 'Overdue', agency: 'Agency',
    paidInFull: 'Paid in full', medianDays: 'Median months to full payment', overdueFirst: 'Overdue claims come first, highest escalation level first.',
    backToClaims: 'All claims', deadlines: 'Deadlines', recordStep: 'Record a step', referrals: 'Rehabilitation referrals', timeline: 'Timeline',
    claim: 'Claim', stage: 'Stage', court: 'Court', caseNumber: 'Case', level: 'Escalation level', lastDay: 'Last day', owedBy: 'Owed by',
    interest: 'Interest to date', perDay: 'Each further day adds', none: 'None', save: 'Record', recorded: 'Recorded.',
    signInFailed: 'Wrong user or password.', notLevel: 'not yet due', kind: 'Deadline', service: 'Service',
    moneyHint: 'in shillings, e.g. 1,250,000.50', badMoney: 'Enter an amount in shillings, like 1,250,000.50',
    language: 'Kiswahili', registerOrder: 'Register a court order', judgmentDate: 'Judgment date', survivorRef: 'Survivor reference (pseudonymous)',
    violation: 'Violation', advocate: 'Advocate id', damages: 'General damages (KSh)', costs: 'Costs (KSh, optional)', rate: 'Interest rate (% a year)',
    requestReferral: 'Request a referral', beneficiary: 'For', relationship: 'Relationship (family member)', age: 'Age', urgent: 'Urgent medical need',
    disability: 'Disability', consent: 'The person consents to the referral', share: '…and to sharing the assessment with the provider',
    auditTitle: 'Audit', verifyChain: "Verify the record's hash chain", chainOk: 'Intact: every event follows the one before it.', chainBroken: 'Broken',
    administration: 'Administration', fundReport: 'Victim Protection Fund report', financialYearLabel: 'Financial year (2026/27)', show: 'Show',
    need: 'Need (assessed)', received: 'Received', committed: 'Committed', uncommitted: 'Uncommitted', gap: 'Gap', waiting: 'Waiting', medianWait: 'Median wait (days)',
  },
  sw: {
    brand: 'Redress', signIn: 'Ingia', signOut: 'Toka', user: 'Mtumiaji', password: 'Nenosiri', myClaims: 'Madai',
    publicTitle: 'Fidia zilizoamriwa na mahakama: kiasi ambacho Serikali inadaiwa na ilicholipa',
    suppressionNote: 'Takwimu ni jumla tu, kutoka toleo lililochapishwa. Idadi ya 0 hadi 5 huonyeshwa kama “5 au chini”; takwimu ambayo ingewezesha kukokotoa iliyofichwa “imefichwa”; kiasi kimekadiriwa kwa tarakimu mbili muhimu (angalau hadi KSh milioni 1). Amri mpya huhesabiwa sita au zaidi kwa wakati mmoja. Hakuna mwathiriwa anayetajwa. Idadi ni amri za mahakama zilizorekodiwa katika Redress, si kila fidia iliyowahi kutolewa.',
    chartTitle: 'Kiasi kilichoamriwa, kilicholipwa na kinachodaiwa, kwa mwaka wa hukumu',
    chartCaption: 'Kiasi ni hadi mwisho wa mwezi uliotangulia toleo; kinachodaiwa kinajumuisha riba hadi hapo. Miaka ambayo kiasi chake kimezuiliwa haionyeshwi.',
    leagueTitle: 'Utiifu kwa kila taasisi inayodaiwa', downloadCsv: 'Data huria: jedwali za toleo hili (CSV, pamoja na maelezo ya data)',
    releaseLine: 'Toleo {n}: idadi hadi {date}, kiasi hadi {money}.', noRelease: 'Bado hakuna takwimu zilizochapishwa.',
    indicatorsTitle: 'Je, sheria inatekelezwa? Viashiria vya robo ya karibuni', indicator: 'Kiashiria', value: 'Thamani', target: 'Lengo',
    noData: 'bado hakuna data', soFar: 'hadi sasa',
    accountabilityTitle: 'Uwajibikaji: matukio yaliyorekodiwa, kuchunguzwa, kushtakiwa na kuhukumiwa, kwa taasisi inayowajibika',
    accountabilityNote: 'Idadi zilizorekodiwa ni zilizoripotiwa kwa Redress, si idadi ya ukiukaji uliotokea. Idadi ya 0 hadi 5 ni “5 au chini”; takwimu ambayo ingewezesha kukokotoa iliyofichwa “imefichwa”. Hakuna mwathiriwa, afisa au kesi anayetajwa.',
    body: 'Taasisi inayowajibika', documented: 'Yaliyorekodiwa', investigated: 'Yaliyochunguzwa', charged: 'Yaliyoshtakiwa', convicted: 'Waliohukumiwa', stalled: 'Uchunguzi uliokwama', medianCharge: 'Miezi ya kati hadi kushtakiwa', allBodies: 'Taasisi zote',
    orders: 'Amri', awarded: 'Kilichoamriwa', paid: 'Kilicholipwa', outstanding: 'Kinachodaiwa leo', overdue: 'Zilizochelewa', agency: 'Taasisi',
    paidInFull: 'Zilizolipwa kikamilifu', medianDays: 'Miezi ya kati hadi malipo kamili', overdueFirst: 'Madai yaliyochelewa huanza, ngazi ya juu kwanza.',
    backToClaims: 'Madai yote', deadlines: 'Tarehe za mwisho', recordStep: 'Rekodi hatua', referrals: 'Rufaa za ukarabati', timeline: 'Historia',
    claim: 'Dai', stage: 'Hatua', court: 'Mahakama', caseNumber: 'Kesi', level: 'Ngazi ya ukumbusho', lastDay: 'Siku ya mwisho', owedBy: 'Anayedaiwa',
    interest: 'Riba hadi leo', perDay: 'Kila siku ya ziada inaongeza', none: 'Hakuna', save: 'Rekodi', recorded: 'Imerekodiwa.',
    signInFailed: 'Mtumiaji au nenosiri si sahihi.', notLevel: 'bado', kind: 'Tarehe ya mwisho', service: 'Huduma',
    moneyHint: 'kwa shilingi, mfano 1,250,000.50', badMoney: 'Andika kiasi kwa shilingi, mfano 1,250,000.50',
    language: 'English', registerOrder: 'Sajili amri ya mahakama', judgmentDate: 'Tarehe ya hukumu', survivorRef: 'Namba ya siri ya mwathiriwa',
    violation: 'Ukiukaji', advocate: 'Namba ya wakili', damages: 'Fidia ya jumla (KSh)', costs: 'Gharama (KSh, si lazima)', rate: 'Riba (% kwa mwaka)',
    requestReferral: 'Omba rufaa', beneficiary: 'Kwa ajili ya', relationship: 'Uhusiano (mwanafamilia)', age: 'Umri', urgent: 'Hitaji la dharura la matibabu',
    disability: 'Ulemavu', consent: 'Mhusika amekubali rufaa', share: '…na kushiriki tathmini na mtoa huduma',
    auditTitle: 'Ukaguzi', verifyChain: 'Hakiki mnyororo wa kumbukumbu', chainOk: 'Kamili: kila tukio linafuata lililotangulia.', chainBroken: 'Umevunjika',
    administration: 'Utawala', fundReport: 'Ripoti ya Mfuko wa Kulinda Waathiriwa', financialYearLabel: 'Mwaka wa fedha (2026/27)', show: 'Onyesha',
    need: 'Mahitaji (yaliyotathminiwa)', received: 'Kilichopokelewa', committed: 'Kilichoahidiwa', uncommitted: 'Kisichoahidiwa', gap: 'Pengo', waiting: 'Wanaosubiri', medianWait: 'Muda wa kati wa kusubiri (siku)',
  },
};
const FIELDS = {
  issuedOn: ['Issued on', 'Tarehe ya kutolewa'], servedOn: ['Served on', 'Tarehe ya kuwasilishwa'], amountCents: ['Amount (KSh)', 'Kiasi (KSh)'],
  budgetLine: ['Budget line', 'Kifungu cha bajeti'], financialYear: ['Financial year (2024/25)', 'Mwaka wa fedha (2024/25)'], allocatedOn: ['Allocated on', 'Tarehe ya kutengwa'],
  paymentReference: ['Payment reference', 'Namba ya malipo'], paidOn: ['Paid on', 'Tarehe ya malipo'], receivedOn: ['Received on', 'Tarehe ya kupokea'],
  grantedOn: ['Granted on', 'Tarehe ya kutolewa'], reason: ['Reason', 'Sababu'], liftedOn: ['Lifted on', 'Tarehe ya kuondolewa'], withdrawnOn: ['Withdrawn on', 'Tarehe ya kuondolewa'],
  filedOn: ['Filed on', 'Tarehe ya kuwasilisha'], complianceDays: ['Days to comply', 'Siku za kutii'], foundOn: ['Found on', 'Tarehe ya uamuzi'], purgeDays: ['Days to purge', 'Siku za kujisafisha'],
};
const STEPS = [
  { path: 'certificate', title: ['Certificate of order issued', 'Cheti cha amri kimetolewa'], fields: [['issuedOn', 'date']] },
  { path: 'certificate/service', title: ['Certificate served on the Attorney General', 'Cheti kimewasilishwa kwa Mwanasheria Mkuu'], fields: [['servedOn', 'date']] },
  { path: 'allocations', title: ['Budget allocated', 'Bajeti imetengwa'], fields: [['amountCents', 'money'], ['budgetLine', 'text'], ['financialYear', 'text'], ['allocatedOn', 'date']] },
  { path: 'tranches', title: ['Tranche paid', 'Awamu imelipwa'], fields: [['paymentReference', 'text'], ['amountCents', 'money'], ['paidOn', 'date']] },
  { path: 'receipts', title: ['Receipt confirmed', 'Upokeaji umethibitishwa'], fields: [['paymentReference', 'text'], ['receivedOn', 'date']], advocate: true },
  { path: 'stay', title: ['Stay granted', 'Amri ya kusitisha imetolewa'], fields: [['grantedOn', 'date'], ['reason', 'text']] },
  { path: 'stay/lift', title: ['Stay lifted', 'Amri ya kusitisha imeondolewa'], fields: [['liftedOn', 'date']] },
  { path: 'enforcement/notice', title: ['21-day notice served on the accounting officer', 'Notisi ya siku 21 imewasilishwa'], fields: [['servedOn', 'date']], advocate: true },
  { path: 'enforcement/mandamus', title: ['Mandamus filed', 'Ombi la mandamus limewasilishwa'], fields: [['filedOn', 'date']], advocate: true },
  { path: 'enforcement/mandamus/grant', title: ['Mandamus granted', 'Mandamus imetolewa'], fields: [['grantedOn', 'date'], ['complianceDays', 'int']], advocate: true },
  { path: 'enforcement/show-cause', title: ['Notice to show cause served', 'Notisi ya kueleza imewasilishwa'], fields: [['servedOn', 'date']], advocate: true },
  { path: 'enforcement/contempt', title: ['Contempt found', 'Dharau imethibitishwa'], fields: [['foundOn', 'date'], ['purgeDays', 'int']], advocate: true },
  { path: 'withdrawal', title: ['Claim withdrawn', 'Dai limeondolewa'], fields: [['withdrawnOn', 'date'], ['reason', 'text']] },
];

const lang = () => (localStorage.getItem('redress-lang') === 'sw' ? 'sw' : 'en');
const t = (key) => T[lang()][key] ?? key;
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};
const SMALL = '5 or fewer';
const MARKERS = { '5 or fewer': ['5 or fewer', '5 au chini'], hidden: ['hidden', 'imefichwa'], withheld: ['withheld', 'imezuiliwa'] };
const marker = (v) => MARKERS[v]?.[lang() === 'sw' ? 1 : 0];
const count = (n) => marker(n) ?? String(n);

/** Cents (integer) to "KSh 1,234.56", exact with BigInt. */
function kes(cents) {
  if (cents === null || cents === undefined) return '—';
  if (marker(cents)) return marker(cents);
  const c = BigInt(cents); const neg = c < 0n; const a = neg ? -c : c;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}KSh ${whole}.${(a % 100n).toString().padStart(2, '0')}`;
}
/** "1,250,000.50" to cents without floating point; null if it is not an amount. */
function centsFromShillings(text) {
  const s = String(text).trim().replace(/^KSh\s*/i, '');
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const cents = BigInt(m[1].replace(/,/g, '')) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  return cents <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cents) : null;
}

const session = () => JSON.parse(sessionStorage.getItem('redress-session') ?? 'null');
async function api(method, path, body) {
  const s = session();
  const res = await fetch(path, {
    method, headers: { ...(body ? { 'content-type': 'application/json', 'idempotency-key': `web-${crypto.randomUUID()}` } : {}), ...(s ? { authorization: `Bearer ${s.token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401 && document.body.dataset.page !== 'signin' && document.body.dataset.page !== 'public') { location.href = '/signin'; }
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  return { ok: res.ok, status: res.status, data };
}

function translate() {
  document.documentElement.lang = lang();
  document.querySelectorAll('[data-i18n]').forEach((n) => { n.textContent = t(n.dataset.i18n); });
  document.querySelectorAll('[data-action="language"]').forEach((b) => { b.textContent = t('language'); });
}

async function publicPage() {
  const [stats, league] = await Promise.all([api('GET', '/api/public/statistics'), api('GET', '/api/public/agencies')]);
  if (!stats.ok) { document.getElementById('release').textContent = t('noRelease'); return; }
  const { release } = stats.data;
  document.getElementById('release').textContent = t('releaseLine').replace('{n}', release.number).replace('{date}', release.asOf).replace('{money}', release.moneyAsOf);
  const total = stats.data.totals ?? { orders: 0, awarded_cents: 0, paid_cents: 0, outstanding_cents: 0, overdue: 0 };
  const card = (label, value, cls) => el('div', { class: `card ${cls ?? ''}` }, el('span', {}, label), el('strong', { class: 'money' }, value));
  document.getElementById('totals').replaceChildren(
    card(t('orders'), count(total.orders)), card(t('awarded'), kes(total.awarded_cents)), card(t('paid'), kes(total.paid_cents), 'paid'),
    card(t('outstanding'), kes(total.outstanding_cents), 'overdue'), card(t('overdue'), count(total.overdue)));
  drawChart(document.getElementById('chart'), stats.data.byYearOfJudgment.filter((y) => typeof y.awarded_cents === 'number')
    .map((y) => ({ key: y.year_of_judgment, awardedCents: y.awarded_cents, paidCents: y.paid_cents, outstandingCents: y.outstanding_cents })));
  const head = el('tr', {}, [t('agency'), t('orders'), t('paidInFull'), t('overdue'), t('outstanding'), t('medianDays')].map((h, i) => el('th', { scope: 'col', class: i >= 1 ? 'num' : undefined }, h)));
  const rows = league.data.items.map((a) => el('tr', {}, el('th', { scope: 'row' }, a.agency), el('td', { class: 'num' }, count(a.orders)), el('td', { class: 'num' }, count(a.paid_in_full)),
    el('td', { class: 'num' }, count(a.overdue)), el('td', { class: 'num money' }, kes(a.outstanding_cents)), el('td', { class: 'num' }, count(a.median_months_to_full_payment))));
  const table = document.getElementById('league');
  table.querySelectorAll('thead, tbody').forEach((n) => n.remove());
  table.append(el('thead', {}, head), el('tbody', {}, rows));
  await indicatorsTable();
  await accountabilityTable();
}

/** The accountability funnel per responsible body, and in all, from the release's incident tables. */
async function accountabilityTable() {
  const res = await api('GET', '/api/public/accountability');
  if (!res.ok || !res.data.tables) return;
  const { totals, by_body: byBody } = res.data.tables;
  const cols = ['documented', 'investigated', 'charged', 'convicted', 'stalled', 'median_months_to_charge'];
  const head = el('tr', {}, [t('body'), ...cols.map((c) => t({ stalled: 'stalled', median_months_to_charge: 'medianCharge' }[c] ?? c))]
    .map((h, i) => el('th', { scope: 'col', class: i ? 'num' : undefined }, h)));
  const line = (name, r) => el('tr', {}, el('th', { scope: 'row' }, name), ...cols.map((c) => el('td', { class: 'num' }, r[c] === null || r[c] === undefined ? '—' : count(r[c]))));
  const rows = [...byBody.map((r) => line(r.body, r)), ...totals.map((r) => line(t('allBodies'), r))];
  const table = document.getElementById('accountability');
  table.querySelectorAll('thead, tbody').forEach((n) => n.remove());
  table.append(el('thead', {}, head), el('tbody', {}, rows));
}

/** The latest quarter's indicators from the release: value (withheld where 5 or fewer stand behind it) and target. */
async function indicatorsTable() {
  const res = await api('GET', '/api/public/indicators');
  if (!res.ok) return;
  const quarters = res.data.items.filter((r) => r.period_kind === 'quarter');
  const latest = quarters.map((r) => r.period).sort().pop();
  const unit = { percent: '%', months: lang() === 'sw' ? ' miezi' : ' months', per_100: ' / 100', cents: '' };
  const show = (r, v) => (v === 'no data' ? t('noData') : marker(v) ?? (r.unit === 'cents' ? kes(v) : `${v}${unit[r.unit]}`));
  const head = el('tr', {}, [t('indicator'), t('value'), t('target')].map((h, i) => el('th', { scope: 'col', class: i ? 'num' : undefined }, h)));
  const rows = quarters.filter((r) => r.period === latest).map((r) => el('tr', {},
    el('th', { scope: 'row' }, lang() === 'sw' ? r.name_sw : r.name_en),
    el('td', { class: 'num' }, `${show(r, r.value)}${r.to_date ? ` (${t('soFar')})` : ''}`),
    el('td', { class: 'num' }, r.target === null ? '—' : `${r.target_direction === 'at_most' ? '≤' : '≥'} ${show(r, r.target)}`)));
  const table = document.getElementById('indicators');
  table.querySelectorAll('thead, tbody').forEach((n) => n.remove());
  table.append(el('thead', {}, head), el('tbody', {}, rows));
}

/** Grouped bars per year: awarded, paid, outstanding. SVG with a text alternative. */
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
      Object.entries({ x: pad + i * band + j * (band / 4) + band / 8, y: h - pad - bh, width: band / 4 - 2, height: bh, fill: colour }).forEach(([a, val]) => r.setAttribute(a, val));
      r.dataset.series = k; svg.append(r);
    });
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', pad + i * band + band / 2); label.setAttribute('y', h - pad + 16); label.setAttribute('text-anchor', 'middle');
    label.textContent = y.key; svg.append(label);
  });
  series.forEach(([, colour, name], j) => {
    const r = document.createElementNS(ns, 'rect'); r.setAttribute('x', pad + j * 150); r.setAttribute('y', 8); r.setAttribute('width', 12); r.setAttribute('height', 12); r.setAttribute('fill', colour);
    const tx = document.createElementNS(ns, 'text'); tx.setAttribute('x', pad + j * 150 + 16); tx.setAttribute('y', 18); tx.textContent = name;
    svg.append(r, tx);
  });
  container.replaceChildren(svg);
}

function signinPage() {
  document.getElementById('signin').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target;
    const res = await api('POST', '/api/session', { userId: form.userId.value.trim(), password: form.password.value });
    if (!res.ok) { document.getElementById('signin-error').textContent = res.status === 401 ? t('signInFailed') : res.data.detail; return; }
    sessionStorage.setItem('redress-session', JSON.stringify({ token: res.data.token, user: res.data.user }));
    // Administrators and auditors may read decrypted payloads in the Temporal UI: its codec calls carry this cookie.
    if (['administrator', 'auditor'].includes(res.data.user.role)) await api('POST', '/codec/session');
    location.href = ['investigator', 'prosecutor', 'documenting_organisation'].includes(res.data.user.role) ? '/incidents' : '/claims';
  });
}

function whoami() {
  const s = session();
  if (!s) { location.href = '/signin'; return null; }
  document.getElementById('whoami').textContent = `${s.user.name} (${s.user.role})`;
  return s.user;
}

async function claimsPage() {
  const user = whoami(); if (!user) return;
  const res = await api('GET', '/api/claims?limit=100');
  const head = el('tr', {}, [t('claim'), t('court'), t('stage'), t('level'), t('outstanding')].map((h, i) => el('th', { scope: 'col', class: i >= 3 ? 'num' : undefined }, h)));
  const rows = res.data.items.map((c) => el('tr', {},
    el('td', {}, el('a', { href: `/claim?id=${encodeURIComponent(c.id)}` }, c.caseNumber)), el('td', {}, c.court),
    el('td', {}, c.stage.replace(/_/g, ' '), c.stayed ? ' (stayed)' : ''),
    el('td', { class: `num ${c.escalationLevel >= 0 ? 'overdue' : ''}` }, c.escalationLevel >= 0 ? String(c.escalationLevel) : t('notLevel')),
    el('td', { class: 'num money' }, kes(c.outstandingCents))));
  document.getElementById('claims').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  if (user.role === 'administrator' || user.role === 'auditor') document.getElementById('whoami').append(' · ', el('a', { href: '/incidents' }, lang() === 'sw' ? 'Matukio' : 'Incidents'));
  if (user.role === 'administrator') {
    document.getElementById('whoami').append(' · ', el('a', { href: '/admin' }, t('administration')));
    await registrationForm();
  }
}

async function registrationForm() {
  const section = document.getElementById('register'); section.hidden = false;
  const agencies = await api('GET', '/api/agencies');
  document.getElementById('reg-respondentAgencyId').replaceChildren(...agencies.data.items.map((a) => el('option', { value: a.id }, a.name)));
  const form = document.getElementById('register-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.error').forEach((p) => { p.textContent = ''; });
    const f = form.elements;
    const damages = centsFromShillings(f.damages.value);
    const costs = f.costs.value.trim() ? centsFromShillings(f.costs.value) : 0;
    if (damages === null) { document.getElementById('reg-damages-error').textContent = t('badMoney'); return; }
    if (costs === null) { document.getElementById('reg-costs-error').textContent = t('badMoney'); return; }
    const rate = Number(f.rate.value);
    const components = [{ label: 'General damages', amountCents: damages, rateBasisPoints: rate, interestFrom: f.judgmentDate.value }];
    if (costs > 0) components.push({ label: 'Costs', amountCents: costs, rateBasisPoints: rate, interestFrom: f.judgmentDate.value });
    const res = await api('POST', '/api/claims', {
      court: f.court.value, caseNumber: f.caseNumber.value, judgmentDate: f.judgmentDate.value, respondentAgencyId: f.respondentAgencyId.value,
      survivorRef: f.survivorRef.value, violationTypes: [f.violationTypes.value], advocateId: f.advocateId.value, components,
    });
    if (res.ok) { location.href = `/claim?id=${encodeURIComponent(res.data.id)}`; return; }
    let placed = false;
    for (const err of res.data.errors ?? []) {
      const target = document.getElementById(`reg-${err.field.split('.')[0]}-error`) ?? (err.field.startsWith('components') ? document.getElementById('reg-damages-error') : null);
      if (target) { target.textContent = err.rule; placed = true; }
    }
    if (!placed) document.getElementById('register-error').textContent = res.data.detail ?? res.data.title;
  });
}

async function claimPage() {
  const user = whoami(); if (!user) return;
  const id = new URLSearchParams(location.search).get('id');
  const res = await api('GET', `/api/claims/${encodeURIComponent(id)}`);
  if (!res.ok) { document.getElementById('claim-title').textContent = res.data.detail ?? 'Not found'; return; }
  const c = res.data;
  document.getElementById('claim-title').textContent = `${c.court}, ${c.caseNumber}`;
  const card = (label, value, cls, testId) => el('div', { class: `card ${cls ?? ''}` }, el('span', {}, label), el('strong', { class: 'money', 'data-testid': testId }, value));
  document.getElementById('money').replaceChildren(
    card(t('stage'), c.stage.replace(/_/g, ' ')), card(t('awarded'), kes(c.amounts.awardedCents)), card(t('interest'), kes(c.amounts.interestAccruedCents)),
    card(t('paid'), kes(c.amounts.paidCents), 'paid'), card(t('outstanding'), kes(c.amounts.outstandingCents), 'overdue', 'outstanding'),
    card(t('perDay'), kes(c.amounts.dailyInterestCents)), card(t('level'), c.escalationLevel >= 0 ? String(c.escalationLevel) : t('notLevel'), c.escalationLevel >= 0 ? 'overdue' : ''));
  const dl = c.deadlines.map((d) => el('tr', {}, el('td', {}, d.kind.replace(/_/g, ' ')), el('td', {}, d.owedBy), el('td', {}, d.lastDay), el('td', { class: 'num' }, d.level >= 0 ? String(d.level) : t('notLevel'))));
  document.getElementById('deadlines').replaceChildren(el('thead', {}, el('tr', {}, [t('kind'), t('owedBy'), t('lastDay'), t('level')].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, dl.length ? dl : [el('tr', {}, el('td', { colspan: 4 }, t('none')))]));
  const rf = c.referrals.map((r) => el('tr', {}, el('td', {}, r.service), el('td', {}, r.stage.replace(/_/g, ' ')), el('td', { class: 'num money' }, kes(r.paidCents))));
  document.getElementById('referrals').replaceChildren(el('thead', {}, el('tr', {}, [t('service'), t('stage'), t('paid')].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, rf.length ? rf : [el('tr', {}, el('td', { colspan: 3 }, t('none')))]));
  document.getElementById('timeline').replaceChildren(...c.timeline.slice().reverse().map((e) => el('li', {}, `${e.occurredAt.slice(0, 10)} — ${e.type.replace(/_/g, ' ')} (${e.actor})`)));
  const forms = STEPS.filter((s) => user.role === 'administrator' || (user.role === 'advocate' && s.advocate)).map((s) => stepForm(c.id, s));
  document.getElementById('forms').replaceChildren(...forms);
  if (user.role !== 'auditor') referralForm(c.id);
  if (user.role !== 'advocate') auditSection(c.id);
}

function referralForm(claimId) {
  const form = document.getElementById('referral-form');
  if (!form.hidden) return;
  form.hidden = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.error').forEach((p) => { p.textContent = ''; });
    const f = form.elements;
    const beneficiary = f.beneficiary.value === 'survivor' ? { kind: 'survivor' } : { kind: 'family_member', relationship: f.relationship.value };
    const res = await api('POST', `/api/claims/${encodeURIComponent(claimId)}/referrals`, {
      service: f.service.value, beneficiary,
      consent: { referral: f.consent.checked, shareAssessment: f.share.checked, recordedOn: new Date(Date.now() + 3 * 3600e3).toISOString().slice(0, 10) },
      priority: { urgentMedical: f.urgentMedical.checked, ageYears: Number(f.age.value || -1), disability: f.disability.checked },
    });
    if (res.ok) { await claimPage(); const msg = document.getElementById('claim-message'); msg.hidden = false; msg.textContent = `${t('requestReferral')}: ${t('recorded')}`; return; }
    let placed = false;
    for (const err of res.data.errors ?? []) {
      const target = document.getElementById(`ref-${err.field}-error`);
      if (target) { target.textContent = err.rule; placed = true; }
    }
    if (!placed) document.getElementById('referral-error').textContent = res.data.detail ?? res.data.title;
  });
}

function auditSection(claimId) {
  const section = document.getElementById('audit');
  if (!section.hidden) return;
  section.hidden = false;
  document.getElementById('audit-button').addEventListener('click', async () => {
    const res = await api('GET', `/api/claims/${encodeURIComponent(claimId)}/audit`);
    document.getElementById('audit-result').textContent = res.data.ok
      ? `${t('chainOk')} (${res.data.events})` : `${t('chainBroken')}: ${res.data.reason}`;
  });
}

function stepForm(claimId, step) {
  const i = lang() === 'sw' ? 1 : 0;
  const slug = step.path.replace(/\//g, '-');
  const inputs = step.fields.map(([name, type]) => {
    const inputId = `${slug}-${name}`; const errId = `${inputId}-error`;
    const input = el('input', { id: inputId, name, 'aria-describedby': errId, required: true, ...(type === 'date' ? { type: 'date' } : type === 'int' ? { type: 'number', min: 1, step: 1 } : { type: 'text' }), ...(type === 'money' ? { inputmode: 'decimal', placeholder: t('moneyHint') } : {}) });
    input.dataset.kind = type;
    return el('div', {}, el('label', { for: inputId }, FIELDS[name][i]), input, el('p', { class: 'error', id: errId, 'aria-live': 'polite' }));
  });
  const formError = el('p', { class: 'error', role: 'alert' });
  const form = el('form', { class: 'step', novalidate: true, 'data-step': step.path }, el('h3', {}, step.title[i]), el('fieldset', {}, inputs), formError, el('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.error').forEach((p) => { p.textContent = ''; });
    const body = {}; let bad = false;
    for (const input of form.querySelectorAll('input')) {
      if (input.dataset.kind === 'money') {
        const cents = centsFromShillings(input.value);
        if (cents === null) { document.getElementById(`${input.id}-error`).textContent = t('badMoney'); bad = true; continue; }
        body[input.name] = cents;
      } else if (input.dataset.kind === 'int') body[input.name] = Number(input.value);
      else body[input.name] = input.value;
    }
    if (bad) return;
    const res = await api('POST', `/api/claims/${encodeURIComponent(claimId)}/${step.path}`, body);
    if (res.ok) {
      await claimPage();
      const msg = document.getElementById('claim-message'); msg.hidden = false; msg.textContent = `${step.title[i]}: ${t('recorded')}`;
      return;
    }
    let placed = false;
    for (const err of res.data.errors ?? []) {
      const target = document.getElementById(`${slug}-${err.field}-error`);
      if (target) { target.textContent = err.rule; placed = true; }
    }
    if (!placed) formError.textContent = res.data.detail ?? res.data.title;
  });
  return form;
}

/** Administrators' forms: each posts to one API endpoint and shows errors beside the fields they name. */
const ADMIN_FORMS = [
  { id: 'agency', title: ['Add a respondent agency', 'Ongeza taasisi'], path: '/api/agencies', fields: [['id', 'Id (e.g. county-government-of-kisumu)'], ['name', 'Name']] },
  { id: 'contact', title: ['Set a contact for a ladder role', 'Weka mawasiliano'], path: '/api/contacts', fields: [['agencyId', 'Agency id (empty for shared bodies)'], ['role', 'Role', ['accounting_officer', 'principal_secretary', 'attorney_general', 'national_treasury', 'controller_of_budget', 'knchr', 'commission_on_administrative_justice', 'fund_administrator']], ['name', 'Name'], ['email', 'Email']] },
  { id: 'advocate', title: ['Add an advocate', 'Ongeza wakili'], path: '/api/advocates', fields: [['id', 'Id (e.g. adv-wanjiru)'], ['name', 'Name'], ['email', 'Email']] },
  { id: 'provider', title: ['Register a rehabilitation provider', 'Sajili mtoa huduma'], path: '/api/providers', fields: [['id', 'Id'], ['name', 'Name'], ['services', 'Services (comma-separated: medical, psychological, psychosocial, physiotherapy, legal_aid, socio_economic)', 'list'], ['county', 'County'], ['email', 'Email'], ['capacity', 'Capacity', 'int']] },
  { id: 'receipt', title: ['Record money received by the fund', 'Rekodi fedha zilizopokelewa na mfuko'], path: '/api/fund/receipts', fields: [['financialYear', 'Financial year (2026/27)'], ['amountCents', 'Amount (KSh)', 'money'], ['reference', 'Reference'], ['receivedOn', 'Received on', 'date']] },
  { id: 'user', title: ['Create a user', 'Unda mtumiaji'], path: '/api/users', fields: [['id', 'User id'], ['name', 'Name'], ['role', 'Role', ['administrator', 'advocate', 'auditor']], ['advocateId', 'Advocate id (advocates only)'], ['password', 'Password (12 characters or more)', 'password']] },
];

function adminForm(spec) {
  const inputs = spec.fields.map(([name, label, kind]) => {
    const id = `${spec.id}-${name}`;
    const control = Array.isArray(kind)
      ? el('select', { id, name, 'aria-describedby': `${id}-error` }, kind.map((o) => el('option', { value: o }, o.replace(/_/g, ' '))))
      : el('input', { id, name, 'aria-describedby': `${id}-error`, type: kind === 'date' ? 'date' : kind === 'int' ? 'number' : kind === 'password' ? 'password' : 'text', ...(kind === 'money' ? { inputmode: 'decimal' } : {}) });
    control.dataset.kind = Array.isArray(kind) ? 'text' : (kind ?? 'text');
    return el('div', {}, el('label', { for: id }, label), control, el('p', { class: 'error', id: `${id}-error` }));
  });
  const formError = el('p', { class: 'error', role: 'alert' });
  const form = el('form', { class: 'step', novalidate: true, id: `${spec.id}-form` }, el('h2', {}, spec.title[lang() === 'sw' ? 1 : 0]), el('fieldset', {}, inputs), formError, el('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.error').forEach((p) => { p.textContent = ''; });
    const body = {};
    for (const c of form.querySelectorAll('input, select')) {
      const v = c.value.trim();
      if (v === '') continue;
      if (c.dataset.kind === 'money') {
        const cents = centsFromShillings(v);
        if (cents === null) { document.getElementById(`${c.id}-error`).textContent = t('badMoney'); return; }
        body[c.name] = cents;
      } else if (c.dataset.kind === 'int') body[c.name] = Number(v);
      else if (c.dataset.kind === 'list') body[c.name] = v.split(',').map((x) => x.trim()).filter(Boolean);
      else body[c.name] = v;
    }
    const res = await api('POST', spec.path, body);
    if (res.ok) { form.reset(); const m = document.getElementById('admin-message'); m.hidden = false; m.textContent = `${spec.title[lang() === 'sw' ? 1 : 0]}: ${t('recorded')}`; return; }
    let placed = false;
    for (const err of res.data.errors ?? []) {
      const target = document.getElementById(`${spec.id}-${err.field.split('.')[0]}-error`);
      if (target) { target.textContent = err.rule; placed = true; }
    }
    if (!placed) formError.textContent = res.data.detail ?? res.data.title;
  });
  return form;
}

async function adminPage() {
  const user = whoami(); if (!user) return;
  document.getElementById('admin-forms').replaceChildren(...ADMIN_FORMS.map(adminForm));
  document.getElementById('report-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const year = e.target.year.value.trim().replace('/', '-');
    const res = await api('GET', `/api/fund/reports/${encodeURIComponent(year)}`);
    if (!res.ok) { document.getElementById('report').replaceChildren(el('p', { class: 'error' }, res.data.detail ?? res.data.title)); return; }
    const r = res.data;
    const card = (label, value) => el('div', { class: 'card' }, el('span', {}, label), el('strong', { class: 'money' }, value));
    document.getElementById('report').replaceChildren(card(t('need'), kes(r.needCents)), card(t('received'), kes(r.receivedCents)), card(t('committed'), kes(r.committedCents)),
      card(t('paid'), kes(r.paidCents)), card(t('uncommitted'), kes(r.uncommittedCents)), card(t('gap'), kes(r.gapCents)),
      card(t('waiting'), String(r.waitingList.length)), card(t('medianWait'), r.medianWaitDays ?? '—'));
  });
}

document.addEventListener('DOMContentLoaded', () => {
  translate();
  document.querySelectorAll('[data-action="language"]').forEach((b) => b.addEventListener('click', () => {
    localStorage.setItem('redress-lang', lang() === 'en' ? 'sw' : 'en'); location.reload();
  }));
  document.querySelectorAll('[data-action="signout"]').forEach((b) => b.addEventListener('click', async () => {
    await api('DELETE', '/api/session'); await api('DELETE', '/codec/session'); sessionStorage.removeItem('redress-session'); location.href = '/';
  }));
  const page = { public: publicPage, signin: signinPage, claims: claimsPage, claim: claimPage, admin: adminPage }[document.body.dataset.page];
  if (page) page().catch((err) => { console.error(err); });
});
