/**
 * Which steps of a claim or a referral a role may record, and which of them come next at the claim's stage; and which
 * steps of an incident's tracks a role may record at each track's stage. The API decides in the end (it refuses what
 * the stage does not allow, with a reason); this only puts the likely next step first and the rest behind "other
 * actions".
 */

/** @typedef {{ path: string, roles: string[], next: (c: any) => boolean, show?: (c: any) => boolean }} Step */
const ADMIN = ['administrator'];
const BOTH = ['administrator', 'advocate'];
const owedByState = (/** @type {any} */ c) => c.deadlines.some((/** @type {any} */ d) => d.owedBy === 'state' && d.level >= 0);
const unpaid = (/** @type {any} */ c) => !['paid_in_full', 'settled'].includes(c.stage);

/** @type {Step[]} */
export const CLAIM_STEPS = [
  { path: 'stay/lift', roles: ADMIN, next: (c) => Boolean(c.stay), show: (c) => Boolean(c.stay) },
  // A step already taken is not offered again (a certificate served years ago needs no certificate form).
  { path: 'certificate', roles: ADMIN, next: (c) => !c.stay, show: (c) => c.stage === 'registered' },
  { path: 'certificate/service', roles: ADMIN, next: (c) => !c.stay, show: (c) => c.stage === 'certificate_issued' },
  { path: 'allocations', roles: ADMIN, next: (c) => c.stage === 'certificate_served' && !c.stay, show: (c) => Boolean(c.certificate.servedOn) && unpaid(c) },
  { path: 'tranches', roles: ADMIN, next: (c) => ['budget_allocated', 'disbursing'].includes(c.stage), show: (c) => c.allocations.length > 0 && unpaid(c) },
  { path: 'receipts', roles: BOTH, next: (c) => c.tranches.some((/** @type {any} */ x) => !x.receivedOn && !x.reversal), show: (c) => c.tranches.length > 0 },
  { path: 'enforcement/notice', roles: BOTH, next: (c) => owedByState(c) && !c.stay, show: (c) => Boolean(c.certificate.servedOn) && unpaid(c) && !c.enforcement.noticeServedOn },
  { path: 'enforcement/mandamus', roles: BOTH, next: (c) => !c.stay, show: (c) => Boolean(c.enforcement.noticeServedOn && !c.enforcement.mandamusFiledOn) },
  { path: 'enforcement/mandamus/grant', roles: BOTH, next: (c) => !c.stay, show: (c) => Boolean(c.enforcement.mandamusFiledOn && !c.enforcement.mandamusGranted) },
  { path: 'enforcement/show-cause', roles: BOTH, next: (c) => !c.stay, show: (c) => Boolean(c.enforcement.mandamusGranted && !c.enforcement.showCauseServedOn) },
  { path: 'enforcement/contempt', roles: BOTH, next: (c) => !c.stay, show: (c) => Boolean(c.enforcement.showCauseServedOn && !c.enforcement.contemptFound) },
  { path: 'stay', roles: ADMIN, next: () => false, show: (c) => !c.stay },
  { path: 'tranches/reversals', roles: ADMIN, next: () => false, show: (c) => c.tranches.length > 0 },
  { path: 'amendments', roles: ADMIN, next: () => false },
  { path: 'withdrawal', roles: ADMIN, next: () => false },
  { path: 'set-aside', roles: ADMIN, next: () => false },
];

/** @type {Step[]} */
export const REFERRAL_STEPS = [
  { path: 'assessment', roles: BOTH, next: (r) => r.stage === 'consented' },
  { path: 'provider', roles: BOTH, next: (r) => r.stage === 'assessed' },
  { path: 'funding-decision', roles: ADMIN, next: (r) => r.stage === 'referred' },
  { path: 'appointments', roles: BOTH, next: (r) => r.stage === 'funded' },
  { path: 'sessions', roles: BOTH, next: (r) => r.stage === 'in_care' },
  { path: 'provider-payments', roles: ADMIN, next: (r) => r.stage === 'in_care' },
  { path: 'completion', roles: BOTH, next: () => false, show: (r) => r.stage === 'in_care' },
  { path: 'discontinuation', roles: BOTH, next: () => false },
];

const CLOSED = ['settled', 'withdrawn', 'set_aside', 'completed', 'discontinued', 'funding_refused'];

/** The steps this role may take on this claim or referral, split into what comes next and the rest. @param {Step[]} steps @param {any} subject @param {string} role */
export function stepsFor(steps, subject, role) {
  if (CLOSED.includes(subject.stage)) return { next: [], other: [] };
  const mine = steps.filter((s) => s.roles.includes(role) && (s.show?.(subject) ?? true));
  return { next: mine.filter((s) => s.next(subject)), other: mine.filter((s) => !s.next(subject)) };
}

const INVESTIGATORS = ['administrator', 'investigator'];
const PROSECUTORS = ['administrator', 'prosecutor'];
/** Steps of the complaint and the inquest, which the organisation that documented the incident may record too. */
const DOCUMENTERS = ['administrator', 'investigator', 'documenting_organisation'];

/** @typedef {{ path: string, at: string[], roles: string[] }} TrackStep */
/** An incident's tracks: each step (its API path under the track), the stages that allow it and who records it. @type {Record<string, TrackStep[]>} */
export const INCIDENT_STEPS = {
  investigation: [
    { path: 'complaint', at: ['awaiting_complaint'], roles: DOCUMENTERS },
    { path: 'acknowledgement', at: ['complaint_lodged'], roles: INVESTIGATORS },
    { path: 'opening', at: ['acknowledged'], roles: INVESTIGATORS },
    { path: 'findings', at: ['opened'], roles: INVESTIGATORS },
    { path: 'recommendation', at: ['findings_made'], roles: INVESTIGATORS },
    { path: 'forwarding', at: ['recommended'], roles: INVESTIGATORS },
  ],
  prosecution: [
    { path: 'charging-decision', at: ['file_received'], roles: PROSECUTORS },
    { path: 'resubmission', at: ['returned_for_investigation'], roles: INVESTIGATORS },
    { path: 'charges', at: ['to_be_charged'], roles: PROSECUTORS },
    { path: 'trial', at: ['charged'], roles: PROSECUTORS },
    { path: 'verdicts', at: ['charged', 'on_trial'], roles: PROSECUTORS },
    { path: 'sentences', at: ['on_trial', 'verdicts_given'], roles: PROSECUTORS },
    { path: 'appeal', at: ['concluded'], roles: PROSECUTORS },
    { path: 'appeal-decision', at: ['on_appeal'], roles: PROSECUTORS },
  ],
  inquest: [
    { path: 'notification', at: ['awaiting_notification'], roles: DOCUMENTERS },
    { path: 'post-mortem', at: ['notified'], roles: DOCUMENTERS },
    { path: 'opening', at: ['post_mortem_done'], roles: DOCUMENTERS },
    { path: 'finding', at: ['inquest_opened'], roles: DOCUMENTERS },
  ],
};

/** The steps this role may record on a track at its stage (none once it is closed). @param {{ track: string, stage: string, closed: boolean }} track @param {string} role */
export function trackStepsFor(track, role) {
  if (track.closed) return [];
  return (INCIDENT_STEPS[track.track] ?? []).filter((s) => s.at.includes(track.stage) && s.roles.includes(role));
}
