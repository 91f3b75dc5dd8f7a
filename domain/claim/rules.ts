/**
 * The claim's stage machine, as two pure functions the workflow runs:
 *   decide(state, command, today) -> the event it produces, a duplicate of an earlier one, or a refusal;
 *   evolve(state, event, sequence) -> the next state.
 * A refusal says why, in words an administrator can act on, and names the field at fault if one is.
 */
import { type CalendarDate, addDays, compareDates } from '../calendar-date';
import { type Balance, balanceAt } from '../interest';
import type { Cents } from '../money';
import { type AnyCommand, ENFORCEMENT_NOTICE_DAYS } from './commands';
import type { ReminderContent } from '../escalation/reminder';
import { type AwardComponent, type CourtOrder, earliestCertificateDate } from './order';

export const STAGES = [
  'registered', 'certificate_issued', 'certificate_served', 'budget_allocated', 'disbursing',
  'paid_in_full', 'settled', 'withdrawn', 'set_aside',
] as const;
export type Stage = (typeof STAGES)[number];
export const CLOSED_STAGES: readonly Stage[] = ['settled', 'withdrawn', 'set_aside'];

export interface Tranche {
  paymentReference: string;
  amountCents: Cents;
  paidOn: CalendarDate;
  sequence: number;
  receivedOn: CalendarDate | null;
  reversal: { reason: string; sequence: number } | null;
  /** The correction that withdrew a confirmed receipt: the confirmation deadline reopens under a key of its own. */
  reopenedBy?: number;
}

export interface Allocation {
  amountCents: Cents;
  budgetLine: string;
  financialYear: string;
  allocatedOn: CalendarDate;
  sequence: number;
  /** Set when a later correction replaced or withdrew this allocation. */
  correction?: { sequence: number; reason: string };
}

export interface Enforcement {
  noticeServedOn: CalendarDate | null;
  mandamusFiledOn: CalendarDate | null;
  mandamusGranted: { on: CalendarDate; complianceDays: number } | null;
  showCauseServedOn: CalendarDate | null;
  contemptFound: { on: CalendarDate; purgeDays: number } | null;
}

export const NO_ENFORCEMENT: Enforcement = {
  noticeServedOn: null, mandamusFiledOn: null, mandamusGranted: null, showCauseServedOn: null, contemptFound: null,
};

export interface ClaimState {
  claimId: string;
  order: CourtOrder;
  stage: Stage;
  stay: { grantedOn: CalendarDate; reason: string } | null;
  certificate: { issuedOn: CalendarDate | null; servedOn: CalendarDate | null };
  allocations: Allocation[];
  tranches: Tranche[];
  closure: { on: CalendarDate; reason: string } | null;
  enforcement: Enforcement;
  /**
   * The last correction that changed what the State owes (workbench-v1): its deadline runs again from `on`, under a new
   * key (the correction's sequence), so its reminders never repeat the keys of the ones sent before it.
   */
  restart?: { on: CalendarDate; sequence: number };
}

/** Events of the escalation capability, recorded in the claim's chain; they do not change ClaimState. */
export type EscalationEvent =
  | { type: 'deadline_escalated'; deadlineKey: string; kind: string; level: number; roles: string[] }
  | { type: 'reminder_queued'; reminder: ReminderContent }
  | { type: 'policy_migrated'; fromVersion: number; toVersion: number }
  | { type: 'referral_requested'; referralId: string; service: string; beneficiaryKind: string }
  | { type: 'referral_step'; referralId: string; step: string; stage: string }
  | { type: 'reminder_acknowledged'; reminderId: string; deadlineKey: string; kind: string; level: number; officerName: string; officerRole?: string;
      commitment?: { action: string; dueOn: CalendarDate; responsible: string } };

export type ClaimEvent =
  | EscalationEvent
  | { type: 'claim_registered'; order: CourtOrder }
  | { type: 'certificate_issued'; issuedOn: CalendarDate }
  | { type: 'certificate_served'; servedOn: CalendarDate }
  | { type: 'budget_allocated'; amountCents: Cents; budgetLine: string; financialYear: string; allocatedOn: CalendarDate }
  | { type: 'tranche_paid'; paymentReference: string; amountCents: Cents; paidOn: CalendarDate }
  | { type: 'tranche_reversed'; paymentReference: string; amountCents: Cents; reason: string }
  | { type: 'receipt_confirmed'; paymentReference: string; receivedOn: CalendarDate }
  | { type: 'stay_granted'; grantedOn: CalendarDate; reason: string }
  | { type: 'stay_lifted'; liftedOn: CalendarDate }
  | { type: 'claim_withdrawn'; withdrawnOn: CalendarDate; reason: string }
  | { type: 'claim_set_aside'; setAsideOn: CalendarDate; reason: string }
  | { type: 'enforcement_notice_served'; servedOn: CalendarDate }
  | { type: 'mandamus_filed'; filedOn: CalendarDate }
  | { type: 'mandamus_granted'; grantedOn: CalendarDate; complianceDays: number }
  | { type: 'notice_to_show_cause_served'; servedOn: CalendarDate }
  | { type: 'contempt_found'; foundOn: CalendarDate; purgeDays: number }
  | { type: 'order_amended'; amendedOn: CalendarDate; reason: string; components?: AwardComponent[]; costsTaxedOn?: CalendarDate }
  | { type: 'advocate_reassigned'; advocateId: string; previousAdvocateId: string; reassignedOn: CalendarDate; reason: string }
  | { type: 'allocation_corrected'; allocationSequence: number; correctedOn: CalendarDate; reason: string;
      replacement?: { amountCents: Cents; budgetLine: string; financialYear: string; allocatedOn: CalendarDate } }
  | { type: 'document_attached'; documentId: string; kind: string; sha256: string; sizeBytes: number; referralId?: string }
  | { type: 'receipt_corrected'; paymentReference: string; correctedOn: CalendarDate; reason: string; receivedOn: CalendarDate | null; previousReceivedOn: CalendarDate };
export type ClaimEventType = ClaimEvent['type'];

/** `invalid`: the input itself is wrong (HTTP 422). `conflict`: the claim's state does not allow it (409). */
export interface Refusal {
  kind: 'invalid' | 'conflict';
  field?: string;
  reason: string;
}

export type Decision =
  | { outcome: 'accepted'; event: ClaimEvent }
  | { outcome: 'duplicate'; sequence: number }
  | { outcome: 'refused'; refusal: Refusal };

export function initialState(claimId: string, order: CourtOrder): ClaimState {
  return {
    claimId, order, stage: 'registered', stay: null,
    certificate: { issuedOn: null, servedOn: null }, allocations: [], tranches: [], closure: null,
    enforcement: NO_ENFORCEMENT,
  };
}

export function activeTranches(state: ClaimState): Tranche[] {
  return state.tranches.filter((t) => t.reversal === null);
}

/** Allocations that stand: not replaced or withdrawn by a correction. */
export function activeAllocations(state: ClaimState): Allocation[] {
  return state.allocations.filter((a) => !a.correction);
}

export function balanceOf(state: ClaimState, asOf: CalendarDate): Balance {
  return balanceAt(state.order.components, activeTranches(state), asOf, state.order.appropriation);
}

const refuse = (kind: Refusal['kind'], reason: string, field?: string): Decision =>
  ({ outcome: 'refused', refusal: field ? { kind, field, reason } : { kind, reason } });
const accept = (event: ClaimEvent): Decision => ({ outcome: 'accepted', event });

/** Refuses dates after today and before the judgment: neither can be true of a step already taken. */
function checkPastDate(state: ClaimState, field: string, date: CalendarDate, today: CalendarDate): Decision | null {
  if (compareDates(date, today) > 0) return refuse('invalid', `${field} ${date} is in the future (today is ${today})`, field);
  if (compareDates(date, state.order.judgmentDate) < 0) {
    return refuse('invalid', `${field} ${date} is before the judgment of ${state.order.judgmentDate}`, field);
  }
  return null;
}

const STAGE_WORDS: Record<Stage, string> = {
  registered: 'registered', certificate_issued: 'certificate issued', certificate_served: 'certificate served',
  budget_allocated: 'budget allocated', disbursing: 'being disbursed', paid_in_full: 'paid in full',
  settled: 'settled', withdrawn: 'withdrawn', set_aside: 'set aside',
};

/** Commands a stay does not block: it pauses enforcement, not voluntary payment or the end of a claim. */
const ALLOWED_DURING_STAY = new Set<AnyCommand['name']>([
  'liftStay', 'recordTranche', 'reverseTranche', 'confirmReceipt', 'withdraw', 'setAside',
  // A correction puts the record right; it enforces nothing.
  'amendOrder', 'reassignAdvocate', 'correctAllocation', 'correctReceipt', 'recordDocument',
]);

export function decide(state: ClaimState, command: AnyCommand, today: CalendarDate): Decision {
  // A repeated tranche is answered before any stage rule, so a retry after settlement still gets its first answer.
  if (command.name === 'recordTranche') {
    const earlier = state.tranches.find((t) => t.paymentReference === command.input.paymentReference);
    if (earlier) {
      if (earlier.amountCents === command.input.amountCents && earlier.paidOn === command.input.paidOn) {
        return { outcome: 'duplicate', sequence: earlier.sequence };
      }
      return refuse('conflict', `payment reference ${earlier.paymentReference} is already recorded with amount ${earlier.amountCents} cents paid on ${earlier.paidOn}`, 'paymentReference');
    }
  }
  if (CLOSED_STAGES.includes(state.stage)) {
    return refuse('conflict', `the claim is ${STAGE_WORDS[state.stage]}; no further step can be recorded`);
  }
  if (state.stay && !ALLOWED_DURING_STAY.has(command.name)) {
    return refuse('conflict', `the claim is stayed since ${state.stay.grantedOn} (${state.stay.reason}); lift the stay first`);
  }

  switch (command.name) {
    case 'issueCertificate': {
      const { issuedOn } = command.input;
      if (state.stage !== 'registered') return refuse('conflict', `a certificate of order was already issued on ${state.certificate.issuedOn}`);
      const earliest = earliestCertificateDate(state.order);
      if (compareDates(issuedOn, earliest) < 0) {
        return refuse('invalid', `a certificate of order cannot issue before ${earliest}: 21 days after the judgment${state.order.costsTaxedOn ? ' or the taxation of costs, whichever is later' : ''} (Government Proceedings Act s.21(1))`, 'issuedOn');
      }
      return checkPastDate(state, 'issuedOn', issuedOn, today) ?? accept({ type: 'certificate_issued', issuedOn });
    }
    case 'serveCertificate': {
      const { servedOn } = command.input;
      if (state.stage === 'registered') return refuse('conflict', 'no certificate of order has been issued yet');
      if (state.stage !== 'certificate_issued') return refuse('conflict', `the certificate was already served on ${state.certificate.servedOn}`);
      if (compareDates(servedOn, state.certificate.issuedOn!) < 0) {
        return refuse('invalid', `servedOn ${servedOn} is before the certificate was issued (${state.certificate.issuedOn})`, 'servedOn');
      }
      return checkPastDate(state, 'servedOn', servedOn, today) ?? accept({ type: 'certificate_served', servedOn });
    }
    case 'allocateBudget': {
      const { amountCents, budgetLine, financialYear, allocatedOn } = command.input;
      if (state.stage === 'registered' || state.stage === 'certificate_issued') {
        return refuse('conflict', 'a budget cannot be allocated before the certificate of order is served on the Attorney General');
      }
      if (state.stage === 'paid_in_full') return refuse('conflict', 'the claim is paid in full; nothing is left to allocate');
      if (compareDates(allocatedOn, state.certificate.servedOn!) < 0) {
        return refuse('invalid', `allocatedOn ${allocatedOn} is before the certificate was served (${state.certificate.servedOn})`, 'allocatedOn');
      }
      return checkPastDate(state, 'allocatedOn', allocatedOn, today)
        ?? accept({ type: 'budget_allocated', amountCents, budgetLine, financialYear, allocatedOn });
    }
    case 'recordTranche': {
      const { paymentReference, amountCents, paidOn } = command.input;
      if (activeAllocations(state).length === 0) return refuse('conflict', 'a tranche cannot be recorded before a budget allocation');
      if (state.stage === 'paid_in_full') return refuse('conflict', 'the claim is already paid in full');
      const dateProblem = checkPastDate(state, 'paidOn', paidOn, today);
      if (dateProblem) return dateProblem;
      const latest = activeTranches(state).at(-1);
      if (latest && compareDates(paidOn, latest.paidOn) < 0) {
        return refuse('invalid', `paidOn ${paidOn} is before the last recorded tranche (${latest.paidOn}); tranches are recorded in date order`, 'paidOn');
      }
      const outstanding = balanceOf(state, paidOn).outstandingCents;
      if (amountCents > outstanding) {
        return refuse('invalid', `amountCents ${amountCents} is more than the ${outstanding} cents outstanding on ${paidOn}`, 'amountCents');
      }
      return accept({ type: 'tranche_paid', paymentReference, amountCents, paidOn });
    }
    case 'reverseTranche': {
      const { paymentReference, reason } = command.input;
      const tranche = state.tranches.find((t) => t.paymentReference === paymentReference);
      if (!tranche) return refuse('invalid', `no tranche with payment reference ${paymentReference}`, 'paymentReference');
      if (tranche.reversal) return refuse('conflict', `tranche ${paymentReference} is already reversed`);
      if (tranche.receivedOn) return refuse('conflict', `the advocate confirmed receipt of tranche ${paymentReference} on ${tranche.receivedOn}; it cannot be reversed`);
      const later = activeTranches(state).find((t) => t.sequence > tranche.sequence);
      if (later) return refuse('conflict', `reverse the later tranche ${later.paymentReference} first`);
      return accept({ type: 'tranche_reversed', paymentReference, amountCents: tranche.amountCents, reason });
    }
    case 'confirmReceipt': {
      const { paymentReference, receivedOn } = command.input;
      const tranche = state.tranches.find((t) => t.paymentReference === paymentReference);
      if (!tranche || tranche.reversal) return refuse('invalid', `no tranche with payment reference ${paymentReference}`, 'paymentReference');
      if (tranche.receivedOn) return refuse('conflict', `receipt of tranche ${paymentReference} was already confirmed on ${tranche.receivedOn}`);
      if (compareDates(receivedOn, tranche.paidOn) < 0) {
        return refuse('invalid', `receivedOn ${receivedOn} is before the tranche was paid (${tranche.paidOn})`, 'receivedOn');
      }
      return checkPastDate(state, 'receivedOn', receivedOn, today) ?? accept({ type: 'receipt_confirmed', paymentReference, receivedOn });
    }
    case 'grantStay': {
      const { grantedOn, reason } = command.input;
      return checkPastDate(state, 'grantedOn', grantedOn, today) ?? accept({ type: 'stay_granted', grantedOn, reason });
    }
    case 'liftStay': {
      const { liftedOn } = command.input;
      if (!state.stay) return refuse('conflict', 'the claim is not stayed');
      if (compareDates(liftedOn, state.stay.grantedOn) < 0) {
        return refuse('invalid', `liftedOn ${liftedOn} is before the stay was granted (${state.stay.grantedOn})`, 'liftedOn');
      }
      return checkPastDate(state, 'liftedOn', liftedOn, today) ?? accept({ type: 'stay_lifted', liftedOn });
    }
    case 'withdraw': {
      const { withdrawnOn, reason } = command.input;
      return checkPastDate(state, 'withdrawnOn', withdrawnOn, today) ?? accept({ type: 'claim_withdrawn', withdrawnOn, reason });
    }
    case 'setAside': {
      const { setAsideOn, reason } = command.input;
      return checkPastDate(state, 'setAsideOn', setAsideOn, today) ?? accept({ type: 'claim_set_aside', setAsideOn, reason });
    }
    case 'serveEnforcementNotice':
    case 'fileMandamus':
    case 'grantMandamus':
    case 'serveNoticeToShowCause':
    case 'findContempt':
      return decideEnforcement(state, command, today);
    case 'amendOrder':
    case 'reassignAdvocate':
    case 'correctAllocation':
    case 'correctReceipt':
      return decideCorrection(state, command, today);
    case 'recordDocument': {
      const { documentId, kind, sha256, sizeBytes, referralId } = command.input;
      return accept({ type: 'document_attached', documentId, kind, sha256, sizeBytes, ...(referralId ? { referralId } : {}) });
    }
  }
}

type CorrectionCommand = Extract<AnyCommand, { name: 'amendOrder' | 'reassignAdvocate' | 'correctAllocation' | 'correctReceipt' }>;

/** Corrections: each names what it corrects and why; nothing recorded before is changed, a new event says what now holds. */
function decideCorrection(state: ClaimState, command: CorrectionCommand, today: CalendarDate): Decision {
  switch (command.name) {
    case 'amendOrder': {
      const { amendedOn, reason, components, costsTaxedOn } = command.input;
      if (!components && !costsTaxedOn) return refuse('invalid', 'an amendment must give the amended components, the date costs were taxed, or both', 'components');
      const dateProblem = checkPastDate(state, 'amendedOn', amendedOn, today);
      if (dateProblem) return dateProblem;
      if (costsTaxedOn && compareDates(costsTaxedOn, state.order.judgmentDate) < 0) {
        return refuse('invalid', `costsTaxedOn ${costsTaxedOn} is before the judgment of ${state.order.judgmentDate}`, 'costsTaxedOn');
      }
      if (costsTaxedOn && compareDates(costsTaxedOn, today) > 0) return refuse('invalid', `costsTaxedOn ${costsTaxedOn} is in the future (today is ${today})`, 'costsTaxedOn');
      if (components) {
        const total = components.reduce((s, c) => s + c.amountCents, 0);
        if (!Number.isSafeInteger(total)) return refuse('invalid', 'the components add up to more than can be counted exactly', 'components');
        const amended: ClaimState = { ...state, order: { ...state.order, components } };
        const last = activeTranches(state).at(-1);
        if (last && balanceOf(amended, last.paidOn).outstandingCents < 0) {
          return refuse('invalid', `the amended award is less than the ${balanceOf(state, last.paidOn).paidCents} cents already paid; reverse the tranches paid beyond it first`, 'components');
        }
      }
      return accept({ type: 'order_amended', amendedOn, reason, ...(components ? { components } : {}), ...(costsTaxedOn ? { costsTaxedOn } : {}) });
    }
    case 'reassignAdvocate': {
      const { advocateId, reassignedOn, reason } = command.input;
      if (advocateId === state.order.advocateId) return refuse('invalid', `the claim is already assigned to ${advocateId}`, 'advocateId');
      return checkPastDate(state, 'reassignedOn', reassignedOn, today)
        ?? accept({ type: 'advocate_reassigned', advocateId, previousAdvocateId: state.order.advocateId, reassignedOn, reason });
    }
    case 'correctAllocation': {
      const { allocationSequence, correctedOn, reason, replacement } = command.input;
      const allocation = state.allocations.find((a) => a.sequence === allocationSequence);
      if (!allocation) return refuse('invalid', `no allocation was recorded as event ${allocationSequence}`, 'allocationSequence');
      if (allocation.correction) return refuse('conflict', `allocation ${allocationSequence} was already corrected by event ${allocation.correction.sequence}`);
      const dateProblem = checkPastDate(state, 'correctedOn', correctedOn, today);
      if (dateProblem) return dateProblem;
      if (replacement) {
        const problem = checkPastDate(state, 'replacement.allocatedOn', replacement.allocatedOn, today);
        if (problem) return problem;
        if (compareDates(replacement.allocatedOn, state.certificate.servedOn!) < 0) {
          return refuse('invalid', `replacement.allocatedOn ${replacement.allocatedOn} is before the certificate was served (${state.certificate.servedOn})`, 'replacement.allocatedOn');
        }
      } else if (activeAllocations(state).length === 1 && activeTranches(state).length > 0) {
        return refuse('conflict', 'tranches were paid under this allocation; it cannot be withdrawn without a replacement');
      }
      return accept({ type: 'allocation_corrected', allocationSequence, correctedOn, reason, ...(replacement ? { replacement } : {}) });
    }
    case 'correctReceipt': {
      const { paymentReference, correctedOn, reason, receivedOn } = command.input;
      const tranche = state.tranches.find((t) => t.paymentReference === paymentReference && t.reversal === null);
      if (!tranche) return refuse('invalid', `no tranche with payment reference ${paymentReference}`, 'paymentReference');
      if (!tranche.receivedOn) return refuse('conflict', `receipt of tranche ${paymentReference} was never confirmed; confirm it instead`);
      if (receivedOn === tranche.receivedOn) return refuse('invalid', `receipt of tranche ${paymentReference} is already recorded on ${receivedOn}`, 'receivedOn');
      if (receivedOn !== null) {
        if (compareDates(receivedOn, tranche.paidOn) < 0) return refuse('invalid', `receivedOn ${receivedOn} is before the tranche was paid (${tranche.paidOn})`, 'receivedOn');
        const problem = checkPastDate(state, 'receivedOn', receivedOn, today);
        if (problem) return problem;
      }
      return checkPastDate(state, 'correctedOn', correctedOn, today)
        ?? accept({ type: 'receipt_corrected', paymentReference, correctedOn, reason, receivedOn, previousReceivedOn: tranche.receivedOn });
    }
  }
}

type EnforcementCommand = Extract<AnyCommand, { name: 'serveEnforcementNotice' | 'fileMandamus' | 'grantMandamus' | 'serveNoticeToShowCause' | 'findContempt' }>;

/**
 * Enforcement runs only while the State is in default on a served certificate, and strictly in order:
 * notice (21 days) -> mandamus filed -> granted with a period -> notice to show cause -> contempt with a period to purge.
 */
function decideEnforcement(state: ClaimState, command: EnforcementCommand, today: CalendarDate): Decision {
  if (state.certificate.servedOn === null) {
    return refuse('conflict', 'enforcement needs a certificate of order served on the Attorney General');
  }
  if (state.stage === 'paid_in_full') return refuse('conflict', 'the claim is paid in full; there is nothing to enforce');
  const e = state.enforcement;
  const outOfOrder = (needed: string) => refuse('conflict', `out of order: ${needed} first`);
  switch (command.name) {
    case 'serveEnforcementNotice': {
      const { servedOn } = command.input;
      if (e.noticeServedOn) return refuse('conflict', `the enforcement notice was already served on ${e.noticeServedOn}`);
      if (compareDates(servedOn, state.certificate.servedOn) < 0) {
        return refuse('invalid', `servedOn ${servedOn} is before the certificate was served (${state.certificate.servedOn})`, 'servedOn');
      }
      return checkPastDate(state, 'servedOn', servedOn, today) ?? accept({ type: 'enforcement_notice_served', servedOn });
    }
    case 'fileMandamus': {
      const { filedOn } = command.input;
      if (!e.noticeServedOn) return outOfOrder('serve the 21-day notice on the accounting officer');
      if (e.mandamusFiledOn) return refuse('conflict', `mandamus was already filed on ${e.mandamusFiledOn}`);
      const noticeEnds = addDays(e.noticeServedOn, ENFORCEMENT_NOTICE_DAYS);
      if (compareDates(filedOn, noticeEnds) < 0) {
        return refuse('invalid', `the notice served on ${e.noticeServedOn} runs ${ENFORCEMENT_NOTICE_DAYS} days; mandamus can be filed from ${noticeEnds}`, 'filedOn');
      }
      return checkPastDate(state, 'filedOn', filedOn, today) ?? accept({ type: 'mandamus_filed', filedOn });
    }
    case 'grantMandamus': {
      const { grantedOn, complianceDays } = command.input;
      if (!e.mandamusFiledOn) return outOfOrder('file the application for mandamus');
      if (e.mandamusGranted) return refuse('conflict', `mandamus was already granted on ${e.mandamusGranted.on}`);
      if (compareDates(grantedOn, e.mandamusFiledOn) < 0) {
        return refuse('invalid', `grantedOn ${grantedOn} is before the application was filed (${e.mandamusFiledOn})`, 'grantedOn');
      }
      return checkPastDate(state, 'grantedOn', grantedOn, today) ?? accept({ type: 'mandamus_granted', grantedOn, complianceDays });
    }
    case 'serveNoticeToShowCause': {
      const { servedOn } = command.input;
      if (!e.mandamusGranted) return outOfOrder('obtain an order of mandamus');
      if (e.showCauseServedOn) return refuse('conflict', `notice to show cause was already served on ${e.showCauseServedOn}`);
      const complianceEnds = addDays(e.mandamusGranted.on, e.mandamusGranted.complianceDays);
      if (compareDates(servedOn, complianceEnds) <= 0) {
        return refuse('invalid', `the ${e.mandamusGranted.complianceDays} days the court gave to comply run to ${complianceEnds}; notice to show cause can be served after that`, 'servedOn');
      }
      return checkPastDate(state, 'servedOn', servedOn, today) ?? accept({ type: 'notice_to_show_cause_served', servedOn });
    }
    case 'findContempt': {
      const { foundOn, purgeDays } = command.input;
      if (!e.showCauseServedOn) return outOfOrder('serve the notice to show cause');
      if (e.contemptFound) return refuse('conflict', `contempt was already found on ${e.contemptFound.on}`);
      if (compareDates(foundOn, e.showCauseServedOn) < 0) {
        return refuse('invalid', `foundOn ${foundOn} is before the notice to show cause was served (${e.showCauseServedOn})`, 'foundOn');
      }
      return checkPastDate(state, 'foundOn', foundOn, today) ?? accept({ type: 'contempt_found', foundOn, purgeDays });
    }
  }
}

/** The stage after a payment change: paid in full when nothing is outstanding on the last payment's date. */
function disbursementStage(state: ClaimState): Stage {
  const active = activeTranches(state);
  const last = active.at(-1);
  if (!last) return 'budget_allocated';
  return balanceOf(state, last.paidOn).outstandingCents <= 0 ? 'paid_in_full' : 'disbursing';
}

export function evolve(state: ClaimState, event: ClaimEvent, sequence: number): ClaimState {
  switch (event.type) {
    case 'claim_registered':
      return initialState(state.claimId, event.order);
    case 'certificate_issued':
      return { ...state, stage: 'certificate_issued', certificate: { issuedOn: event.issuedOn, servedOn: null } };
    case 'certificate_served':
      return { ...state, stage: 'certificate_served', certificate: { ...state.certificate, servedOn: event.servedOn } };
    case 'budget_allocated': {
      const { type, ...allocation } = event;
      const stage = state.stage === 'certificate_served' ? 'budget_allocated' : state.stage;
      return { ...state, stage, allocations: [...state.allocations, { ...allocation, sequence }] };
    }
    case 'tranche_paid': {
      const tranche: Tranche = {
        paymentReference: event.paymentReference, amountCents: event.amountCents, paidOn: event.paidOn,
        sequence, receivedOn: null, reversal: null,
      };
      const next = { ...state, tranches: [...state.tranches, tranche] };
      return { ...next, stage: disbursementStage(next) };
    }
    case 'tranche_reversed': {
      const tranches = state.tranches.map((t) => (t.paymentReference === event.paymentReference
        ? { ...t, reversal: { reason: event.reason, sequence } } : t));
      const next = { ...state, tranches };
      return { ...next, stage: disbursementStage(next) };
    }
    case 'receipt_confirmed': {
      const tranches = state.tranches.map((t) => (t.paymentReference === event.paymentReference
        ? { ...t, receivedOn: event.receivedOn } : t));
      const allReceived = tranches.every((t) => t.reversal !== null || t.receivedOn !== null);
      const stage = state.stage === 'paid_in_full' && allReceived ? 'settled' : state.stage;
      return { ...state, tranches, stage };
    }
    case 'stay_granted':
      return { ...state, stay: { grantedOn: event.grantedOn, reason: event.reason } };
    case 'stay_lifted':
      return { ...state, stay: null };
    case 'claim_withdrawn':
      return { ...state, stage: 'withdrawn', closure: { on: event.withdrawnOn, reason: event.reason } };
    case 'claim_set_aside':
      return { ...state, stage: 'set_aside', closure: { on: event.setAsideOn, reason: event.reason } };
    case 'enforcement_notice_served':
      return { ...state, enforcement: { ...state.enforcement, noticeServedOn: event.servedOn } };
    case 'mandamus_filed':
      return { ...state, enforcement: { ...state.enforcement, mandamusFiledOn: event.filedOn } };
    case 'mandamus_granted':
      return { ...state, enforcement: { ...state.enforcement, mandamusGranted: { on: event.grantedOn, complianceDays: event.complianceDays } } };
    case 'notice_to_show_cause_served':
      return { ...state, enforcement: { ...state.enforcement, showCauseServedOn: event.servedOn } };
    case 'contempt_found':
      return { ...state, enforcement: { ...state.enforcement, contemptFound: { on: event.foundOn, purgeDays: event.purgeDays } } };
    case 'order_amended':
      return {
        ...state,
        order: { ...state.order, ...(event.components ? { components: event.components } : {}), ...(event.costsTaxedOn ? { costsTaxedOn: event.costsTaxedOn } : {}) },
        // What the State owes changed: its pending deadline runs again from the amendment (a change of taxation date
        // alone moves the certificate's earliest date instead).
        ...(event.components ? { restart: { on: event.amendedOn, sequence } } : {}),
        // A varied award may be paid in full already, or no longer: the stage follows the amounts.
        ...(event.components && (state.stage === 'disbursing' || state.stage === 'paid_in_full')
          ? { stage: disbursementStage({ ...state, order: { ...state.order, components: event.components } }) } : {}),
      };
    case 'advocate_reassigned':
      return { ...state, order: { ...state.order, advocateId: event.advocateId } };
    case 'allocation_corrected': {
      const allocations = state.allocations.map((a) => (a.sequence === event.allocationSequence ? { ...a, correction: { sequence, reason: event.reason } } : a));
      if (event.replacement) allocations.push({ ...event.replacement, sequence });
      const next = { ...state, allocations, restart: { on: event.correctedOn, sequence } };
      const standing = activeAllocations(next).length > 0;
      const stage = !standing && state.stage === 'budget_allocated' ? 'certificate_served' : state.stage;
      return { ...next, stage };
    }
    case 'receipt_corrected': {
      const tranches = state.tranches.map((t) => (t.paymentReference === event.paymentReference && t.reversal === null
        ? { ...t, receivedOn: event.receivedOn, ...(event.receivedOn === null ? { reopenedBy: sequence } : {}) } : t));
      return { ...state, tranches };
    }
    case 'document_attached':
    case 'reminder_acknowledged':
    case 'deadline_escalated':
    case 'reminder_queued':
    case 'policy_migrated':
    case 'referral_requested':
    case 'referral_step':
      return state;
  }
}
