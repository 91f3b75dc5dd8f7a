/**
 * One workflow per rehabilitation referral, a child of its claim, or of an incident when it starts from one with no
 * court order (and abandoned, not ended, when that parent closes). Steps arrive as validated Updates; funding goes
 * through the fund's ledger activities; every step is reported to the parent, which records it in its chain and
 * keeps the referral's deadlines.
 */
import {
  ApplicationFailure, allHandlersFinished, condition, getExternalWorkflowHandle, patched, proxyActivities, setHandler,
  upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { STAGE } from '../search-attributes';
import type { createFundActivities } from '../../activities/referral/fund';
import type { createReferralProjectionActivities } from '../../activities/referral/project';
import { calendarDateAt } from '../../domain/calendar-date';
import {
  type AnyReferralCommand, CLOSED_REFERRAL_STAGES, REFERRAL_COMMAND_NAMES, type ReferralCommandName, type ReferralRefusal,
  type ReferralRequest, type ReferralState, checkReferralCommand, newReferral, paidToProvider, referralCommandSchemas,
} from '../../domain/referral';
import { describeIssues, issuesOf } from '../../domain/validation';
import {
  type ReferralProgress, REFERRAL_REFUSED, fundsCommittedSignal, referralProgressSignal, referralStatusQuery,
  referralUpdates, referralWorkflowId,
} from './messages';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const fund = proxyActivities<ReturnType<typeof createFundActivities>>({ startToCloseTimeout: '30 seconds', retry });
const { projectReferral } = proxyActivities<ReturnType<typeof createReferralProjectionActivities>>({ startToCloseTimeout: '30 seconds', retry });

export interface ReferralWorkflowInput {
  referralId: string;
  /** Null for a referral started from an incident alone. */
  claimId: string | null;
  /** The incident it starts from (referrals from an incident only). */
  incidentId?: string;
  /** The parent it reports to: the claim's workflow, or the incident's. */
  claimWorkflowId: string;
  request: ReferralRequest;
}

const refused = (r: ReferralRefusal) => ApplicationFailure.create({ type: REFERRAL_REFUSED, message: r.reason, details: [r], nonRetryable: true });

export async function referralWorkflow(input: ReferralWorkflowInput): Promise<ReferralState> {
  // The same commands either way: the marker only tells a history of a referral from an incident (incident-referrals-v1).
  const incidentId = input.incidentId !== undefined && patched('incident-referrals-v1') ? input.incidentId : undefined;
  let state = newReferral(input.referralId, input.claimId, input.request, incidentId);
  const today = () => calendarDateAt(Date.now());
  const claim = getExternalWorkflowHandle(input.claimWorkflowId);
  let reporting: Promise<void> = Promise.resolve();
  // From `search-attributes-v1` on, the referral's stage is searchable (workflows/search-attributes.ts).
  const searchable = patched('search-attributes-v1');
  let publishedStage = '';

  /** Projects the referral and tells the claim, in order, one step at a time. */
  function report(step: string, actor: string): Promise<void> {
    const snapshot = state;
    if (searchable && snapshot.stage !== publishedStage) {
      publishedStage = snapshot.stage;
      upsertSearchAttributes([{ key: STAGE, value: snapshot.stage }]);
    }
    const lastSession = snapshot.sessions.at(-1)?.sessionOn ?? null;
    const progress: ReferralProgress = {
      referralId: snapshot.referralId, step, stage: snapshot.stage, service: snapshot.service, actor,
      providerId: snapshot.providerId, referredOn: snapshot.referredOn, fundedOn: snapshot.funding?.committedOn ?? null,
      lastCareOn: lastSession ?? snapshot.firstAppointmentOn, approvedCents: snapshot.funding?.approvedCents ?? null,
      paidCents: paidToProvider(snapshot),
    };
    reporting = reporting.then(async () => {
      await projectReferral({ referral: snapshot, workflowId: workflowInfo().workflowId });
      await claim.signal(referralProgressSignal, progress);
    });
    return reporting;
  }

  /** Referrals the fund admitted from its queue learn of it from the one that freed the money. */
  async function notifyAdmitted(ids: string[]): Promise<void> {
    for (const id of ids) {
      await getExternalWorkflowHandle(referralWorkflowId(id)).signal(fundsCommittedSignal, { committedOn: today() });
    }
  }

  async function release(actor: string): Promise<void> {
    if (!state.funding) return;
    const { admitted } = await fund.releaseCommitment({ referralId: state.referralId, financialYear: state.funding.financialYear, actor });
    await notifyAdmitted(admitted);
  }

  function parse(name: ReferralCommandName, raw: unknown): AnyReferralCommand {
    const parsed = referralCommandSchemas[name].safeParse(raw);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      throw refused({ kind: 'invalid', field: issues[0]?.field, reason: describeIssues(issues) });
    }
    return { name, input: parsed.data } as AnyReferralCommand;
  }

  async function apply(c: AnyReferralCommand): Promise<void> {
    const actor = c.input.actor;
    switch (c.name) {
      case 'assessNeeds':
        state = { ...state, stage: 'assessed', assessment: { assessedOn: c.input.assessedOn, assessedCostCents: c.input.assessedCostCents, sessionsPlanned: c.input.sessionsPlanned } };
        break;
      case 'referToProvider':
        state = { ...state, stage: 'referred', providerId: c.input.provider.id, referredOn: c.input.referredOn };
        break;
      case 'decideFunding': {
        if (c.input.decision === 'refuse') {
          state = { ...state, stage: 'funding_refused', refusal: c.input.reason, closedOn: c.input.decidedOn, closureReason: c.input.reason };
          break;
        }
        const { amountCents, financialYear, decidedOn } = c.input;
        state = { ...state, stage: 'funding_queued', funding: { financialYear, approvedCents: amountCents, decidedOn, committedOn: null } };
        const result = await fund.requestCommitment({ referralId: state.referralId, financialYear, amountCents, actor });
        if (result.outcome === 'committed' && state.stage === 'funding_queued') {
          state = { ...state, stage: 'funded', funding: { ...state.funding!, committedOn: today() } };
        }
        await notifyAdmitted(result.admittedOthers);
        break;
      }
      case 'recordAppointment':
        state = { ...state, stage: 'in_care', firstAppointmentOn: c.input.appointmentOn };
        break;
      case 'recordSession':
        state = { ...state, sessions: [...state.sessions, { sessionOn: c.input.sessionOn, attended: c.input.attended }] };
        break;
      case 'payProvider':
        await fund.payProviderFromFund({ referralId: state.referralId, financialYear: state.funding!.financialYear, amountCents: c.input.amountCents, reference: c.input.reference, actor });
        state = { ...state, payments: [...state.payments, { reference: c.input.reference, amountCents: c.input.amountCents, paidOn: c.input.paidOn }] };
        break;
      case 'complete':
        await release(actor);
        state = { ...state, stage: 'completed', closedOn: c.input.completedOn };
        break;
      case 'discontinue':
        await release(actor);
        state = { ...state, stage: 'discontinued', closedOn: c.input.discontinuedOn, closureReason: c.input.reason };
        break;
    }
  }

  // Steps run one at a time: funding, payments and releases must not interleave within a referral.
  let busy = false;
  for (const name of REFERRAL_COMMAND_NAMES) {
    setHandler(referralUpdates[name], async (raw: unknown) => {
      await condition(() => !busy);
      busy = true;
      try {
        const command = parse(name, raw);
        const problem = checkReferralCommand(state, command, today());
        if (problem) throw refused(problem);
        await apply(command);
        await report(name, command.input.actor);
        return state;
      } finally {
        busy = false;
      }
    }, {
      validator: (raw: unknown) => {
        const problem = checkReferralCommand(state, parse(name, raw), today());
        if (problem) throw refused(problem);
      },
    });
  }
  setHandler(fundsCommittedSignal, ({ committedOn }) => {
    if (state.stage !== 'funding_queued') return;
    state = { ...state, stage: 'funded', funding: { ...state.funding!, committedOn } };
    void report('fundsCommitted', 'victim-protection-fund');
  });
  setHandler(referralStatusQuery, () => state);

  await report('requested', input.request.actor);
  await condition(() => CLOSED_REFERRAL_STAGES.includes(state.stage));
  await condition(allHandlersFinished);
  await reporting;
  return state;
}
