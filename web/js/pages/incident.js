/**
 * An incident: its facts, acts, each track (investigation, prosecution, inquest) with its stage and the steps the
 * signed-in role may record there, deadlines, referrals (requested without a court order), the audit of its hash
 * chains and its timeline.
 */
import { api, el, say, startPage, stepTitle, t, table, today, valueWord } from '../core.js';
import { schemaForm } from '../form.js';
import { trackStepsFor } from '../steps.js';

const TRACKS = ['investigation', 'prosecution', 'inquest'];
const MESSAGE = 'incident-message';
/** An escalation level, or "not yet due". @param {number} level */
const levelText = (level) => (level >= 0 ? String(level) : t('notLevel'));
/** @param {number} level */
const levelCell = (level) => el('td', { class: `num ${level >= 0 ? 'overdue' : ''}` }, levelText(level));

startPage(async (user) => {
  if (!user) return;
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const base = `/api/incidents/${encodeURIComponent(id)}`;
  const byId = (/** @type {string} */ x) => /** @type {HTMLElement} */ (document.getElementById(x));
  const bodies = (await api('GET', '/api/incident-bodies')).data?.items ?? [];
  const bodyName = (/** @type {string|null} */ b) => (b ? bodies.find((/** @type {any} */ x) => x.id === b)?.name ?? b : '—');

  /** One step's form, built from the API's schema for it; once recorded, the page is drawn again and says so. */
  const stepForm = async (/** @type {string} */ track, /** @type {string} */ path) => {
    const title = stepTitle(`${track}/${path}`);
    const form = await schemaForm({
      id: `${track}-${path}`, title, headingLevel: 'h4', schema: ['post', `/api/incidents/{id}/${track}/${path}`],
      submit: (body) => { byId(MESSAGE).hidden = true; return api('POST', `${base}/${track}/${path}`, body); }, // the previous step's message is not this one's
      done: () => render(`${title}: ${t('recorded')}`),
    });
    form.dataset.step = `${track}/${path}`;
    return form;
  };
  const trackSection = async (/** @type {any} */ track) => {
    const forms = await Promise.all(trackStepsFor(track, user.role).map((s) => stepForm(track.track, s.path)));
    return el('section', { 'data-track': track.track }, el('h2', {}, valueWord(track.track)),
      el('p', {}, `${t('stage')}: `, el('strong', { 'data-testid': `${track.track}-stage` }, valueWord(track.stage)), track.closed ? ` (${t('closed')})` : ''),
      el('h3', {}, t('trackNextSteps')), forms.length ? forms : el('p', {}, t('noStep')));
  };

  const render = async (/** @type {string|null} */ message) => {
    const res = await api('GET', base);
    if (!res.ok) { byId('incident-title').textContent = t('notFound'); return; }
    const i = res.data;
    document.title = `${i.reference} — Redress`;
    byId('incident-title').textContent = `${i.reference} — ${i.id}`;
    const card = (/** @type {string} */ label, /** @type {string} */ value, /** @type {string} */ testId = undefined) =>
      el('div', { class: 'card' }, el('span', {}, label), el('strong', { 'data-testid': testId }, value));
    byId('facts').replaceChildren(card(t('occurred'), i.occurredOn), card(t('county'), i.county), card(t('place'), valueWord(i.placeCategory)),
      card(t('investigatingBody'), bodyName(i.investigatingBodyId)), card(t('prosecutingOffice'), bodyName(i.prosecutingBodyId)),
      card(t('documentingOrganisation'), i.documentingOrganisationId ?? '—'), card(t('level'), levelText(i.escalationLevel), 'level'));
    byId('acts').replaceChildren(table([t('act'), t('victim'), t('claimant'), t('perpetratorAgency'), t('unit')],
      i.acts.map((/** @type {any} */ a) => [valueWord(a.act), a.victimRef, a.claimantRef ?? '—', a.perpetratorAgencyId, valueWord(a.unitCategory)])));
    const tracks = i.tracks.slice().sort((/** @type {any} */ a, /** @type {any} */ b) => TRACKS.indexOf(a.track) - TRACKS.indexOf(b.track));
    byId('tracks').replaceChildren(...await Promise.all(tracks.map(trackSection)));
    byId('deadlines').replaceChildren(table([t('track'), t('kind'), t('owedBy'), t('lastDay'), t('level')],
      i.deadlines.map((/** @type {any} */ d) => [valueWord(d.track), valueWord(d.kind), valueWord(d.owedBy), d.lastDay, levelCell(d.level)])));
    byId('referrals').replaceChildren(table([t('service'), t('stage'), t('claims')],
      i.referrals.map((/** @type {any} */ r) => [valueWord(r.service), valueWord(r.stage), r.claimId ?? (r.fromClaim ? '✓' : '—')])));
    if (user.role === 'administrator' || user.role === 'documenting_organisation') {
      byId('referral-slot').replaceChildren(await schemaForm({
        id: 'ref', title: t('requestReferralNoOrder'), submitLabel: t('requestReferralNoOrder'), schema: ['post', '/api/incidents/{id}/referrals'],
        values: { 'consent.recordedOn': today() }, submit: (body) => api('POST', `${base}/referrals`, body),
        done: () => render(`${t('requestReferralNoOrder')}: ${t('recorded')}`),
      }));
    }
    byId('timeline').replaceChildren(...i.timeline.slice(-60).reverse().map((/** @type {any} */ e) =>
      el('li', {}, `${e.occurredAt.slice(0, 10)} — ${valueWord(e.track)}: ${valueWord(e.type)} (${e.actor})`)));
    byId('audit').hidden = !(user.role === 'administrator' || user.role === 'auditor');
    if (message) say(message, 'ok', MESSAGE);
  };

  byId('audit-button').addEventListener('click', async () => {
    const res = await api('GET', `${base}/audit`);
    const chains = res.data.chains ?? [];
    const broken = chains.find((/** @type {any} */ c) => !c.ok);
    byId('audit-result').textContent = res.data.ok
      ? `${t('chainsOk')} (${chains.map((/** @type {any} */ c) => `${valueWord(c.track)} ${c.events}`).join(', ')})`
      : `${t('chainBroken')}: ${broken ? `${valueWord(broken.track)}: ${broken.reason}` : res.data.detail}`;
  });
  await render(null);
}, { roles: ['administrator', 'auditor', 'investigator', 'prosecutor', 'documenting_organisation'], message: MESSAGE });
