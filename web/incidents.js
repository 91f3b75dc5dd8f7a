/* Redress incident pages (incidents.html, incident.html): one small script of their own, no framework. Talks to the
   JSON API with the session the sign-in page keeps in sessionStorage. English and Kiswahili. */
'use strict';

const T = {
  en: {
    brand: 'Redress', signOut: 'Sign out', language: 'Kiswahili', incidentsTitle: 'Incidents', allIncidents: 'All incidents',
    incidentsIntro: 'Documented violations and the investigation, prosecution and inquest of each. Those with a lapsed deadline come first.',
    search: 'Search (reference or id)', overdueOnly: 'Only overdue', yes: 'yes', show: 'Show', registerIncident: 'Register an incident',
    registerHint: 'One act here; incidents with several acts or victims go through the import or the API. Never write a name: victims and family members are written as pseudonymous references, perpetrators as an agency and unit.',
    reference: 'Reference', occurred: 'Occurred', county: 'County', acts: 'Acts', stages: 'Investigation / prosecution / inquest', level: 'Escalation level',
    notDue: 'not yet due', none: 'None', shown: '{n} of {total} shown', notFound: 'Not found', place: 'Place', body: 'Investigating body',
    prosecutor: 'Prosecuting office', organisation: 'Documenting organisation', act: 'Act', victim: 'Victim (reference)', claimant: 'Family (claimant, reference)',
    agency: 'Alleged perpetrator agency', unit: 'Unit', stage: 'Stage', closed: 'closed', nextSteps: 'Next steps', noStep: 'No step for you to record now.',
    deadlines: 'Deadlines', track: 'Track', kind: 'Deadline', owedBy: 'Owed by', lastDay: 'Last day', referrals: 'Rehabilitation referrals', service: 'Service',
    requestReferral: 'Request a referral (no court order needed)', audit: 'Audit', verifyChains: "Verify the record's hash chains",
    chainsOk: 'Intact: every event follows the one before it, in every chain.', chainsBroken: 'Broken', timeline: 'Timeline', save: 'Record', recorded: 'Recorded.',
    claims: 'Claims', administration: 'Administration', linkedClaims: 'Compensation claims arising from it',
    beneficiary: 'For', relationship: 'Relationship (family member)', age: 'Age', urgent: 'Urgent medical need', disability: 'Disability',
    consent: 'The person consents to the referral', share: '…and to sharing the assessment with the provider',
  },
  sw: {
    brand: 'Redress', signOut: 'Toka', language: 'English', incidentsTitle: 'Matukio', allIncidents: 'Matukio yote',
    incidentsIntro: 'Ukiukaji ulioripotiwa na uchunguzi, mashtaka na uchunguzi wa kifo wa kila mmoja. Yaliyopitwa na tarehe ya mwisho huanza.',
    search: 'Tafuta (namba au kitambulisho)', overdueOnly: 'Yaliyochelewa tu', yes: 'ndiyo', show: 'Onyesha', registerIncident: 'Sajili tukio',
    registerHint: 'Kitendo kimoja hapa; matukio yenye vitendo au waathiriwa kadhaa hupitia uingizaji au API. Usiandike jina: waathiriwa na wanafamilia huandikwa kwa namba za siri, wahusika kwa taasisi na kitengo.',
    reference: 'Namba', occurred: 'Lilitokea', county: 'Kaunti', acts: 'Vitendo', stages: 'Uchunguzi / mashtaka / uchunguzi wa kifo', level: 'Ngazi ya ukumbusho',
    notDue: 'bado', none: 'Hakuna', shown: '{n} kati ya {total} yanaonyeshwa', notFound: 'Halikupatikana', place: 'Mahali', body: 'Chombo cha uchunguzi',
    prosecutor: 'Ofisi ya mashtaka', organisation: 'Shirika lililorekodi', act: 'Kitendo', victim: 'Mwathiriwa (namba)', claimant: 'Familia (mdai, namba)',
    agency: 'Taasisi inayodaiwa kuhusika', unit: 'Kitengo', stage: 'Hatua', closed: 'imefungwa', nextSteps: 'Hatua zinazofuata', noStep: 'Hakuna hatua ya wewe kurekodi sasa.',
    deadlines: 'Tarehe za mwisho', track: 'Mkondo', kind: 'Tarehe ya mwisho', owedBy: 'Anayedaiwa', lastDay: 'Siku ya mwisho', referrals: 'Rufaa za ukarabati', service: 'Huduma',
    requestReferral: 'Omba rufaa (hakuna haja ya amri ya mahakama)', audit: 'Ukaguzi', verifyChains: 'Hakiki minyororo ya kumbukumbu',
    chainsOk: 'Kamili: kila tukio linafuata lililotangulia, katika kila mnyororo.', chainsBroken: 'Umevunjika', timeline: 'Historia', save: 'Rekodi', recorded: 'Imerekodiwa.',
    claims: 'Madai', administration: 'Utawala', linkedClaims: 'Madai ya fidia yanayotokana nalo',
    beneficiary: 'Kwa ajili ya', relationship: 'Uhusiano (mwanafamilia)', age: 'Umri', urgent: 'Hitaji la dharura la matibabu', disability: 'Ulemavu',
    consent: 'Mhusika amekubali rufaa', share: '…na kushiriki tathmini na mtoa huduma',
  },
};
/** Words for the values the API uses; in English the value itself reads well enough with spaces. */
const WORDS = {
  en: { investigation: 'Investigation', prosecution: 'Prosecution', inquest: 'Inquest', incident: 'Incident' },
  sw: {
    investigation: 'Uchunguzi', prosecution: 'Mashtaka', inquest: 'Uchunguzi wa kifo', incident: 'Tukio',
    torture: 'mateso', extra_judicial_killing: 'mauaji nje ya sheria', enforced_disappearance: 'kutoweshwa kwa nguvu',
    arbitrary_arrest_or_detention: 'kukamatwa au kuzuiliwa kiholela', death_in_custody: 'kifo kizuizini',
    awaiting_complaint: 'inasubiri malalamiko', complaint_lodged: 'malalamiko yamewasilishwa', acknowledged: 'malalamiko yamekiriwa',
    opened: 'uchunguzi umeanza', findings_made: 'matokeo yametolewa', recommended: 'pendekezo limetolewa', forwarded: 'faili limepelekwa kwa mashtaka',
    closed: 'imefungwa', file_received: 'faili limepokelewa', returned_for_investigation: 'limerudishwa kwa uchunguzi zaidi', to_be_charged: 'watashtakiwa',
    charged: 'mashtaka yamewasilishwa', on_trial: 'kesi inaendelea', verdicts_given: 'hukumu zimetolewa', concluded: 'imehitimishwa', on_appeal: 'rufaa inaendelea',
    not_charged: 'hakuna mashtaka', final: 'ya mwisho', awaiting_notification: 'inasubiri taarifa ya kifo', notified: 'kifo kimeripotiwa',
    post_mortem_done: 'uchunguzi wa maiti umefanyika', inquest_opened: 'uchunguzi wa kimahakama umefunguliwa', finding_made: 'uamuzi umetolewa',
  },
};
const word = (v) => (v === null || v === undefined ? '—' : WORDS[lang()]?.[v] ?? String(v).replace(/_/g, ' '));
const FIELDS = {
  lodgedOn: ['Lodged on', 'Tarehe ya kuwasilisha'], acknowledgedOn: ['Acknowledged on', 'Tarehe ya kukiri'], bodyReference: ["Body's reference", 'Namba ya chombo'],
  openedOn: ['Opened on', 'Tarehe ya kufungua'], foundOn: ['Found on', 'Tarehe ya matokeo'], conclusion: ['Conclusion', 'Hitimisho'],
  recommendedOn: ['Recommended on', 'Tarehe ya pendekezo'], recommendation: ['Recommendation', 'Pendekezo'], reasons: ['Reasons', 'Sababu'],
  forwardedOn: ['Forwarded on', 'Tarehe ya kupeleka'], decidedOn: ['Decided on', 'Tarehe ya uamuzi'], decision: ['Decision', 'Uamuzi'],
  resubmittedOn: ['Resubmitted on', 'Tarehe ya kurudisha'], filedOn: ['Filed on', 'Tarehe ya kuwasilisha'], court: ['Court', 'Mahakama'],
  caseNumber: ['Case number', 'Namba ya kesi'], accusedCount: ['Number of accused', 'Idadi ya washtakiwa'], startedOn: ['Started on', 'Tarehe ya kuanza'],
  accused: ['Accused (number)', 'Mshtakiwa (namba)'], verdict: ['Verdict', 'Hukumu'], deliveredOn: ['Delivered on', 'Tarehe ya hukumu'],
  sentence: ['Sentence', 'Adhabu'], termMonths: ['Term in months (optional)', 'Muda kwa miezi (si lazima)'], sentencedOn: ['Sentenced on', 'Tarehe ya adhabu'],
  by: ['Appeal by', 'Rufaa ya'], outcome: ['Outcome', 'Matokeo'], notifiedOn: ['Notified on', 'Tarehe ya taarifa'], notifiedBy: ['Notified by', 'Imeripotiwa na'],
  examinedOn: ['Examined on', 'Tarehe ya uchunguzi'], pathologist: ['Pathologist', 'Mtaalamu wa maiti'], inquestNumber: ['Inquest number', 'Namba ya uchunguzi'],
  finding: ['Finding', 'Uamuzi'], recommendsProsecution: ['The inquest recommends prosecution', 'Uchunguzi unapendekeza mashtaka'],
  reference: ['Reference (your own)', 'Namba (yenu wenyewe)'], documentingOrganisationId: ['Organisation id (administrators; empty for none)', 'Kitambulisho cha shirika'],
  occurredOn: ['Occurred on', 'Tarehe ya tukio'], county: ['County', 'Kaunti'], placeCategory: ['Place', 'Mahali'], act: ['Act', 'Kitendo'],
  victimRef: ['Victim reference (pseudonymous)', 'Namba ya siri ya mwathiriwa'], claimantRef: ['Family member reference (for a death or disappearance)', 'Namba ya siri ya mwanafamilia (kwa kifo au kutoweshwa)'],
  agencyId: ['Alleged perpetrator agency', 'Taasisi inayodaiwa kuhusika'], unitCategory: ['Unit category', 'Aina ya kitengo'],
  sourceKind: ['Source', 'Chanzo'], sourceOn: ['Source date (default: the incident date)', 'Tarehe ya chanzo'],
};
const label = (name) => FIELDS[name]?.[lang() === 'sw' ? 1 : 0] ?? name;

const COUNTIES = ['mombasa', 'kwale', 'kilifi', 'tana-river', 'lamu', 'taita-taveta', 'garissa', 'wajir', 'mandera', 'marsabit', 'isiolo', 'meru', 'tharaka-nithi', 'embu', 'kitui', 'machakos', 'makueni', 'nyandarua', 'nyeri', 'kirinyaga', 'muranga', 'kiambu', 'turkana', 'west-pokot', 'samburu', 'trans-nzoia', 'uasin-gishu', 'elgeyo-marakwet', 'nandi', 'baringo', 'laikipia', 'nakuru', 'narok', 'kajiado', 'kericho', 'bomet', 'kakamega', 'vihiga', 'bungoma', 'busia', 'siaya', 'kisumu', 'homa-bay', 'migori', 'kisii', 'nyamira', 'nairobi'];
const ENUMS = {
  placeCategory: ['police_station', 'prison', 'public_place', 'other'],
  act: ['torture', 'extra_judicial_killing', 'enforced_disappearance', 'arbitrary_arrest_or_detention', 'death_in_custody'],
  unitCategory: ['regular_police', 'administration_police', 'general_service_unit', 'criminal_investigations', 'special_unit', 'prison_officers', 'military', 'wildlife_rangers', 'county_enforcement', 'other', 'unknown'],
  sourceKind: ['documenting_organisation', 'complaint', 'medico_legal_examination'],
};

const ADMIN = 'administrator';
/** Each track's steps: which stage allows them and who records them (the API checks both again). */
const STEPS = {
  investigation: [
    { path: 'complaint', at: ['awaiting_complaint'], roles: [ADMIN, 'investigator', 'documenting_organisation'], title: ['Complaint lodged', 'Malalamiko yamewasilishwa'], fields: [['lodgedOn', 'date']] },
    { path: 'acknowledgement', at: ['complaint_lodged'], roles: [ADMIN, 'investigator'], title: ['Complaint acknowledged', 'Malalamiko yamekiriwa'], fields: [['acknowledgedOn', 'date'], ['bodyReference', 'text']] },
    { path: 'opening', at: ['acknowledged'], roles: [ADMIN, 'investigator'], title: ['Investigation opened', 'Uchunguzi umeanza'], fields: [['openedOn', 'date']] },
    { path: 'findings', at: ['opened'], roles: [ADMIN, 'investigator'], title: ['Findings', 'Matokeo'], fields: [['foundOn', 'date'], ['conclusion', ['offence_disclosed', 'insufficient_evidence', 'no_offence_disclosed']]] },
    { path: 'recommendation', at: ['findings_made'], roles: [ADMIN, 'investigator'], title: ['Recommendation', 'Pendekezo'], fields: [['recommendedOn', 'date'], ['recommendation', ['prosecute', 'discipline', 'close']], ['reasons', 'textarea']] },
    { path: 'forwarding', at: ['recommended'], roles: [ADMIN, 'investigator'], title: ['File forwarded to the prosecutor', 'Faili limepelekwa kwa mwendesha mashtaka'], fields: [['forwardedOn', 'date']] },
  ],
  prosecution: [
    { path: 'charging-decision', at: ['file_received'], roles: [ADMIN, 'prosecutor'], title: ['Charging decision', 'Uamuzi wa kushtaki'], fields: [['decidedOn', 'date'], ['decision', ['charge', 'no_charge', 'further_investigation']], ['reasons', 'textarea']] },
    { path: 'resubmission', at: ['returned_for_investigation'], roles: [ADMIN, 'investigator'], title: ['File resubmitted after further investigation', 'Faili limerudishwa baada ya uchunguzi zaidi'], fields: [['resubmittedOn', 'date']] },
    { path: 'charges', at: ['to_be_charged'], roles: [ADMIN, 'prosecutor'], title: ['Charges filed', 'Mashtaka yamewasilishwa'], fields: [['filedOn', 'date'], ['court', 'text'], ['caseNumber', 'text'], ['accusedCount', 'int']] },
    { path: 'trial', at: ['charged'], roles: [ADMIN, 'prosecutor'], title: ['Trial started', 'Kesi imeanza'], fields: [['startedOn', 'date']] },
    { path: 'verdicts', at: ['charged', 'on_trial'], roles: [ADMIN, 'prosecutor'], title: ['Verdict for one accused', 'Hukumu ya mshtakiwa mmoja'], fields: [['accused', 'int'], ['verdict', ['convicted', 'acquitted', 'withdrawn']], ['deliveredOn', 'date']] },
    { path: 'sentences', at: ['on_trial', 'verdicts_given'], roles: [ADMIN, 'prosecutor'], title: ['Sentence of one convicted accused', 'Adhabu ya aliyepatikana na hatia'], fields: [['accused', 'int'], ['sentence', ['imprisonment', 'fine', 'imprisonment_and_fine', 'community_service', 'probation', 'death', 'other']], ['termMonths', 'int?'], ['sentencedOn', 'date']] },
    { path: 'appeal', at: ['concluded'], roles: [ADMIN, 'prosecutor'], title: ['Appeal filed', 'Rufaa imewasilishwa'], fields: [['filedOn', 'date'], ['by', ['prosecution', 'defence']]] },
    { path: 'appeal-decision', at: ['on_appeal'], roles: [ADMIN, 'prosecutor'], title: ['Appeal decided', 'Rufaa imeamuliwa'], fields: [['decidedOn', 'date'], ['outcome', ['dismissed', 'allowed']]] },
  ],
  inquest: [
    { path: 'notification', at: ['awaiting_notification'], roles: [ADMIN, 'investigator', 'documenting_organisation'], title: ['Death notified', 'Kifo kimeripotiwa'], fields: [['notifiedOn', 'date'], ['notifiedBy', ['police', 'prison_authorities', 'hospital', 'family', 'documenting_organisation', 'other']]] },
    { path: 'post-mortem', at: ['notified'], roles: [ADMIN, 'investigator', 'documenting_organisation'], title: ['Post-mortem examination', 'Uchunguzi wa maiti'], fields: [['examinedOn', 'date'], ['pathologist', ['government', 'independent', 'joint']]] },
    { path: 'opening', at: ['post_mortem_done'], roles: [ADMIN, 'investigator', 'documenting_organisation'], title: ['Inquest opened', 'Uchunguzi wa kimahakama umefunguliwa'], fields: [['openedOn', 'date'], ['court', 'text'], ['inquestNumber', 'text']] },
    { path: 'finding', at: ['inquest_opened'], roles: [ADMIN, 'investigator', 'documenting_organisation'], title: ['Inquest finding', 'Uamuzi wa uchunguzi'], fields: [['foundOn', 'date'], ['finding', ['unlawful_killing', 'lawful_killing', 'accident', 'natural_causes', 'open_finding']], ['recommendsProsecution', 'bool']] },
  ],
};

const lang = () => (localStorage.getItem('redress-lang') === 'sw' ? 'sw' : 'en');
const t = (key) => T[lang()][key] ?? key;
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};
const session = () => JSON.parse(sessionStorage.getItem('redress-session') ?? 'null');
/** Today in Nairobi (UTC+3), as the API reckons it. */
const todayInNairobi = () => new Date(Date.now() + 3 * 3600e3).toISOString().slice(0, 10);

async function api(method, path, body) {
  const s = session();
  const res = await fetch(path, {
    method, headers: { ...(body ? { 'content-type': 'application/json', 'idempotency-key': `web-${crypto.randomUUID()}` } : {}), ...(s ? { authorization: `Bearer ${s.token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401) { location.href = '/signin'; }
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  return { ok: res.ok, status: res.status, data };
}

function translate() {
  document.documentElement.lang = lang();
  document.querySelectorAll('[data-t]').forEach((n) => { n.textContent = t(n.dataset.t); });
  document.querySelectorAll('[data-action="language"]').forEach((b) => { b.textContent = t('language'); });
}

function whoami() {
  const s = session();
  if (!s) { location.href = '/signin'; return null; }
  const who = document.getElementById('whoami');
  who.replaceChildren(`${s.user.name} (${s.user.role.replace(/_/g, ' ')})`);
  if (s.user.role === ADMIN || s.user.role === 'auditor') who.append(' · ', el('a', { href: '/claims' }, t('claims')));
  if (s.user.role === ADMIN) who.append(' · ', el('a', { href: '/admin' }, t('administration')));
  return s.user;
}

/** A control for one field: a date, text, number, checkbox, textarea, or a select of the values given. */
function control(prefix, name, kind) {
  const id = `${prefix}-${name}`;
  const described = { id, name, 'aria-describedby': `${id}-error` };
  let input;
  if (Array.isArray(kind)) input = el('select', described, kind.map((v) => el('option', { value: v }, word(v))));
  else if (kind === 'textarea') input = el('textarea', { ...described, rows: 2 });
  else if (kind === 'bool') input = el('input', { ...described, type: 'checkbox', style: 'width:auto' });
  else input = el('input', { ...described, type: kind === 'date' ? 'date' : kind.startsWith('int') ? 'number' : 'text', ...(kind.startsWith('int') ? { min: 1, step: 1 } : {}) });
  input.dataset.kind = Array.isArray(kind) ? 'select' : kind;
  const field = kind === 'bool'
    ? el('div', {}, el('label', {}, input, ' ', label(name)), el('p', { class: 'error', id: `${id}-error`, 'aria-live': 'polite' }))
    : el('div', {}, el('label', { for: id }, label(name)), input, el('p', { class: 'error', id: `${id}-error`, 'aria-live': 'polite' }));
  return field;
}

/** The body of a form from its controls: empty optional fields are left out, numbers and booleans typed. */
function bodyOf(form) {
  const body = {};
  for (const c of form.querySelectorAll('input, select, textarea')) {
    const kind = c.dataset.kind;
    if (kind === 'bool') { body[c.name] = c.checked; continue; }
    const v = c.value.trim();
    if (v === '') continue;
    body[c.name] = kind && kind.startsWith('int') ? Number(v) : v;
  }
  return body;
}

/** Shows each error the API names beside its field (`place` maps a field path to a control name), or on the form. */
function showErrors(prefix, data, formError, place = (field) => field) {
  let placed = false;
  for (const err of data.errors ?? []) {
    const target = document.getElementById(`${prefix}-${place(err.field)}-error`);
    if (target) { target.textContent = err.rule; placed = true; }
  }
  if (!placed) formError.textContent = data.detail ?? data.title;
}

async function incidentsPage() {
  const user = whoami(); if (!user) return;
  const form = document.getElementById('filter-form');
  const load = async () => {
    const q = new URLSearchParams({ limit: '100' });
    if (form.q.value.trim()) q.set('q', form.q.value.trim());
    if (form.overdue.value) q.set('overdue', form.overdue.value);
    const res = await api('GET', `/api/incidents?${q}`);
    if (!res.ok) { document.getElementById('incidents-count').textContent = res.data.detail ?? res.data.title; return; }
    const head = el('tr', {}, [t('reference'), t('occurred'), t('county'), t('acts'), t('stages'), t('level')].map((h, i) => el('th', { scope: 'col', class: i === 5 ? 'num' : undefined }, h)));
    const rows = res.data.items.map((i) => el('tr', {},
      el('td', {}, el('a', { href: `/incident?id=${encodeURIComponent(i.id)}` }, i.reference)), el('td', {}, i.occurredOn), el('td', {}, i.county),
      el('td', {}, i.acts.map(word).join(', ')), el('td', {}, [i.stages.investigation, i.stages.prosecution, i.stages.inquest].map(word).join(' / ')),
      el('td', { class: `num ${i.escalationLevel >= 0 ? 'overdue' : ''}` }, i.escalationLevel >= 0 ? String(i.escalationLevel) : t('notDue'))));
    document.getElementById('incidents').replaceChildren(el('thead', {}, head), el('tbody', {}, rows.length ? rows : [el('tr', {}, el('td', { colspan: 6 }, t('none')))]));
    document.getElementById('incidents-count').textContent = t('shown').replace('{n}', res.data.items.length).replace('{total}', res.data.total);
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  await load();
  if (user.role === ADMIN || user.role === 'documenting_organisation') await registrationForm(user);
}

/** Where a field path of the registration lands among the form's controls. */
const REGISTRATION_PLACE = (field) => {
  const m = /^acts\.\d+\.(?:perpetrator\.)?(\w+)$/.exec(field);
  if (m) return m[1];
  if (/^sources\.\d+\.kind$/.test(field)) return 'sourceKind';
  if (/^sources\.\d+\.on$/.test(field)) return 'sourceOn';
  return field.split('.')[0];
};

async function registrationForm(user) {
  document.getElementById('register').hidden = false;
  const agencies = await api('GET', '/api/agencies');
  const fields = [
    ['reference', 'text'], ...(user.role === ADMIN ? [['documentingOrganisationId', 'text']] : []), ['occurredOn', 'date'], ['county', COUNTIES],
    ['placeCategory', ENUMS.placeCategory], ['act', ENUMS.act], ['victimRef', 'text'], ['claimantRef', 'text'],
    ['agencyId', agencies.ok ? agencies.data.items.map((a) => a.id) : []], ['unitCategory', ENUMS.unitCategory], ['sourceKind', ENUMS.sourceKind], ['sourceOn', 'date'],
  ];
  document.getElementById('register-fields').replaceChildren(...fields.map(([name, kind]) => control('reg', name, kind)));
  if (agencies.ok) {
    document.querySelectorAll('#reg-agencyId option').forEach((o) => { o.textContent = agencies.data.items.find((a) => a.id === o.value)?.name ?? o.value; });
    document.getElementById('reg-county').value = 'nairobi';
  }
  const form = document.getElementById('register-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.error').forEach((p) => { p.textContent = ''; });
    const f = bodyOf(form);
    const res = await api('POST', '/api/incidents', {
      reference: f.reference, ...(f.documentingOrganisationId ? { documentingOrganisationId: f.documentingOrganisationId } : {}),
      occurredOn: f.occurredOn, county: f.county, placeCategory: f.placeCategory,
      acts: [{ act: f.act, victimRef: f.victimRef ?? '', ...(f.claimantRef ? { claimantRef: f.claimantRef } : {}), perpetrator: { agencyId: f.agencyId, unitCategory: f.unitCategory } }],
      sources: [{ kind: f.sourceKind, on: f.sourceOn ?? f.occurredOn }],
    });
    if (res.ok) { location.href = `/incident?id=${encodeURIComponent(res.data.id)}`; return; }
    showErrors('reg', res.data, document.getElementById('register-error'), REGISTRATION_PLACE);
  });
}

function card(labelText, value, testId) {
  return el('div', { class: 'card' }, el('span', {}, labelText), el('strong', { 'data-testid': testId }, value));
}

async function incidentPage() {
  const user = whoami(); if (!user) return;
  const id = new URLSearchParams(location.search).get('id');
  const res = await api('GET', `/api/incidents/${encodeURIComponent(id)}`);
  if (!res.ok) { document.getElementById('incident-title').textContent = t('notFound'); return; }
  const i = res.data;
  const bodies = await api('GET', '/api/incident-bodies');
  const bodyName = (id) => (id ? (bodies.ok ? bodies.data.items.find((b) => b.id === id)?.name : null) ?? id : '—');
  document.getElementById('incident-title').textContent = `${i.reference} — ${i.id}`;
  document.getElementById('facts').replaceChildren(
    card(t('occurred'), i.occurredOn), card(t('county'), i.county), card(t('place'), word(i.placeCategory)), card(t('body'), bodyName(i.investigatingBodyId)),
    card(t('prosecutor'), bodyName(i.prosecutingBodyId)), card(t('organisation'), i.documentingOrganisationId ?? '—'),
    card(t('level'), i.escalationLevel >= 0 ? String(i.escalationLevel) : t('notDue'), 'level'));
  const actHead = el('tr', {}, [t('act'), t('victim'), t('claimant'), t('agency'), t('unit')].map((h) => el('th', { scope: 'col' }, h)));
  document.getElementById('acts').replaceChildren(el('thead', {}, actHead), el('tbody', {}, i.acts.map((a) => el('tr', {},
    el('td', {}, word(a.act)), el('td', {}, a.victimRef), el('td', {}, a.claimantRef ?? '—'), el('td', {}, a.perpetratorAgencyId), el('td', {}, word(a.unitCategory))))));
  const order = ['investigation', 'prosecution', 'inquest'];
  document.getElementById('tracks').replaceChildren(...i.tracks.slice().sort((a, b) => order.indexOf(a.track) - order.indexOf(b.track)).map((track) => trackSection(i.id, track, user)));
  const dl = i.deadlines.map((d) => el('tr', {}, el('td', {}, word(d.track)), el('td', {}, word(d.kind)), el('td', {}, word(d.owedBy)), el('td', {}, d.lastDay),
    el('td', { class: `num ${d.level >= 0 ? 'overdue' : ''}` }, d.level >= 0 ? String(d.level) : t('notDue'))));
  document.getElementById('deadlines').replaceChildren(el('thead', {}, el('tr', {}, [t('track'), t('kind'), t('owedBy'), t('lastDay'), t('level')].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, dl.length ? dl : [el('tr', {}, el('td', { colspan: 5 }, t('none')))]));
  const rf = i.referrals.map((r) => el('tr', {}, el('td', {}, r.service), el('td', {}, word(r.stage)), el('td', {}, r.claimId ?? (r.fromClaim ? '✓' : '—'))));
  document.getElementById('referrals').replaceChildren(el('thead', {}, el('tr', {}, [t('service'), t('stage'), t('claims')].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rf.length ? rf : [el('tr', {}, el('td', { colspan: 3 }, t('none')))]));
  document.getElementById('timeline').replaceChildren(...i.timeline.slice(-60).reverse().map((e) => el('li', {}, `${e.occurredAt.slice(0, 10)} — ${word(e.track)}: ${word(e.type)} (${e.actor})`)));
  if (user.role === ADMIN || user.role === 'documenting_organisation') referralForm(i.id);
  if (user.role === ADMIN || user.role === 'auditor') auditSection(i.id);
}

function trackSection(incidentId, track, user) {
  const steps = track.closed ? [] : STEPS[track.track].filter((s) => s.at.includes(track.stage) && s.roles.includes(user.role));
  return el('section', { 'data-track': track.track },
    el('h2', {}, word(track.track)),
    el('p', {}, `${t('stage')}: `, el('strong', { 'data-testid': `${track.track}-stage` }, word(track.stage)), track.closed ? ` (${t('closed')})` : ''),
    el('h3', {}, t('nextSteps')),
    steps.length ? steps.map((s) => stepForm(incidentId, track.track, s)) : el('p', {}, t('noStep')));
}

function stepForm(incidentId, track, step) {
  const i = lang() === 'sw' ? 1 : 0;
  const prefix = `${track}-${step.path}`;
  const formError = el('p', { class: 'error', role: 'alert' });
  const form = el('form', { class: 'step', novalidate: true, 'data-step': `${track}/${step.path}` },
    el('h4', {}, step.title[i]), el('fieldset', {}, step.fields.map(([name, kind]) => control(prefix, name, kind))), formError, el('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.error').forEach((p) => { p.textContent = ''; });
    document.getElementById('incident-message').hidden = true; // the previous step's message is not this one's
    const res = await api('POST', `/api/incidents/${encodeURIComponent(incidentId)}/${track}/${step.path}`, bodyOf(form));
    if (!res.ok) { showErrors(prefix, res.data, formError); return; }
    await incidentPage();
    const msg = document.getElementById('incident-message'); msg.hidden = false; msg.textContent = `${step.title[i]}: ${t('recorded')}`;
  });
  return form;
}

function referralForm(incidentId) {
  const form = document.getElementById('referral-form');
  if (!form.hidden) return;
  form.hidden = false;
  const fields = document.getElementById('referral-fields');
  fields.replaceChildren(
    el('div', {}, el('label', { for: 'ref-service' }, t('service')), el('select', { id: 'ref-service', name: 'service' }, ['medical', 'psychological', 'psychosocial', 'physiotherapy', 'legal_aid', 'socio_economic'].map((s) => el('option', { value: s }, word(s))))),
    el('div', {}, el('label', { for: 'ref-beneficiary' }, t('beneficiary')), el('select', { id: 'ref-beneficiary', name: 'beneficiary' }, el('option', { value: 'survivor' }, 'survivor'), el('option', { value: 'family_member' }, 'family member'))),
    el('div', {}, el('label', { for: 'ref-relationship' }, t('relationship')), el('input', { id: 'ref-relationship', name: 'relationship', 'aria-describedby': 'ref-beneficiary.relationship-error' }), el('p', { class: 'error', id: 'ref-beneficiary.relationship-error' })),
    el('div', {}, el('label', { for: 'ref-age' }, t('age')), el('input', { id: 'ref-age', name: 'age', type: 'number', min: 0, max: 120, 'aria-describedby': 'ref-priority.ageYears-error' }), el('p', { class: 'error', id: 'ref-priority.ageYears-error' })),
    el('div', {}, el('label', {}, el('input', { type: 'checkbox', name: 'urgentMedical', style: 'width:auto' }), ' ', t('urgent'))),
    el('div', {}, el('label', {}, el('input', { type: 'checkbox', name: 'disability', style: 'width:auto' }), ' ', t('disability'))),
    el('div', {}, el('label', {}, el('input', { type: 'checkbox', name: 'consent', style: 'width:auto', 'aria-describedby': 'ref-consent.referral-error' }), ' ', t('consent')), el('p', { class: 'error', id: 'ref-consent.referral-error' })),
    el('div', {}, el('label', {}, el('input', { type: 'checkbox', name: 'share', style: 'width:auto' }), ' ', t('share'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.error').forEach((p) => { p.textContent = ''; });
    const f = form.elements;
    const beneficiary = f.beneficiary.value === 'survivor' ? { kind: 'survivor' } : { kind: 'family_member', relationship: f.relationship.value };
    const res = await api('POST', `/api/incidents/${encodeURIComponent(incidentId)}/referrals`, {
      service: f.service.value, beneficiary,
      consent: { referral: f.consent.checked, shareAssessment: f.share.checked, recordedOn: todayInNairobi() },
      priority: { urgentMedical: f.urgentMedical.checked, ageYears: Number(f.age.value || -1), disability: f.disability.checked },
    });
    if (!res.ok) { showErrors('ref', res.data, document.getElementById('referral-error')); return; }
    await incidentPage();
    const msg = document.getElementById('incident-message'); msg.hidden = false; msg.textContent = `${t('requestReferral')}: ${t('recorded')}`;
  });
}

function auditSection(incidentId) {
  const section = document.getElementById('audit');
  if (!section.hidden) return;
  section.hidden = false;
  document.getElementById('audit-button').addEventListener('click', async () => {
    const res = await api('GET', `/api/incidents/${encodeURIComponent(incidentId)}/audit`);
    const broken = (res.data.chains ?? []).find((c) => !c.ok);
    document.getElementById('audit-result').textContent = res.data.ok
      ? `${t('chainsOk')} (${res.data.chains.map((c) => `${word(c.track)} ${c.events}`).join(', ')})` : `${t('chainsBroken')}: ${broken ? `${word(broken.track)}: ${broken.reason}` : res.data.detail}`;
  });
}

document.addEventListener('DOMContentLoaded', () => {
  translate();
  document.querySelectorAll('[data-action="language"]').forEach((b) => b.addEventListener('click', () => {
    localStorage.setItem('redress-lang', lang() === 'en' ? 'sw' : 'en'); location.reload();
  }));
  document.querySelectorAll('[data-action="signout"]').forEach((b) => b.addEventListener('click', async () => {
    await api('DELETE', '/api/session'); sessionStorage.removeItem('redress-session'); location.href = '/';
  }));
  const page = { incidents: incidentsPage, incident: incidentPage }[document.body.dataset.page];
  if (page) page().catch((err) => { console.error(err); });
});
