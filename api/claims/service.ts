/**
 * Registers court orders and sends commands to their claim workflows; the one place where the API,
 * the scripts and the tests talk to a claim. Reads come from the PostgreSQL record.
 */
import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  CLOSED_STAGES, type CommandInput, type CommandName, claimIdFor, courtOrderSchema, workflowIdFor,
} from '../../domain/claim';
import { calendarDateAt, compareDates } from '../../domain/calendar-date';
import { issuesOf } from '../../domain/validation';
import { type ClaimRecord, agencyExists, readClaimRecord } from '../../db/claims';
import type { Db } from '../../db/connection';
import { latestPolicy } from '../escalation/service';
import { ClaimNotFound, CommandRefused, InvalidInput, refusalFromUpdate } from '../errors';

export { ClaimNotFound, CommandRefused, InvalidInput };
import {
  COMMAND_REFUSED, type CommandResult, type LiveClaimStatus, awaitRecordUpdate, claimUpdates, statusQuery,
} from '../../workflows/claim/messages';
import type { claimWorkflow } from '../../workflows/claim/workflow';
import { incidentWorkflowId } from '../../domain/incident';
import { linkClaimSignal } from '../../workflows/incident/messages';

export interface Registration {
  claimId: string;
  /** false when this court and case number were registered before: nothing new was started. */
  created: boolean;
  record: ClaimRecord;
}

export interface ClaimServiceDeps {
  client: Client;
  db: Db;
  taskQueue: string;
  /** Passed to new claim workflows; tests lower it to exercise continue-as-new. */
  continueAsNewAfterEvents?: number;
  /** The time a judgment may not be after: the clock by default; the time-skipping tests pass the test server's. */
  now?: () => Promise<number> | number;
}

export function createClaimService(deps: ClaimServiceDeps) {
  const { client, db, taskQueue } = deps;

  /**
   * `registrationId` names the registration: a retry under the same id (an import row done again after a crash) is
   * still told it created the claim it created.
   */
  async function register(input: unknown, actor: string, opts: { registrationId?: string } = {}): Promise<Registration> {
    const parsed = courtOrderSchema.safeParse(input);
    if (!parsed.success) throw new InvalidInput(issuesOf(parsed.error));
    const order = parsed.data;
    const [agencyKnown, advocate, policy] = await Promise.all([
      agencyExists(db, order.respondentAgencyId), db('advocates').where({ id: order.advocateId }).first('id'), latestPolicy(db),
    ]);
    if (!agencyKnown) throw new InvalidInput([{ field: 'respondentAgencyId', rule: `unknown agency ${order.respondentAgencyId}` }]);
    if (!advocate) throw new InvalidInput([{ field: 'advocateId', rule: `unknown advocate ${order.advocateId}` }]);
    // A court cannot have ruled tomorrow (and a year that has not come would show in the public figures).
    if (compareDates(order.judgmentDate, calendarDateAt(await (deps.now ?? Date.now)())) > 0) throw new InvalidInput([{ field: 'judgmentDate', rule: 'must not be after today' }]);
    if (order.incidentId && !(await db('incidents').where({ id: order.incidentId }).first('id'))) {
      throw new InvalidInput([{ field: 'incidentId', rule: `unknown incident ${order.incidentId}` }]);
    }
    const claimId = claimIdFor(order.court, order.caseNumber);
    const workflowId = workflowIdFor(claimId);
    // Start and wait for the record in one call (update-with-start): the update is delivered with the start, so a
    // new claim is registered and recorded in one workflow task. A repeat reaches the running claim instead.
    const registrationId = opts.registrationId ?? randomUUID();
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof claimWorkflow>('claimWorkflow', {
      workflowId, taskQueue,
      args: [{ claimId, order, registeredBy: actor, registrationId, policy, continueAsNewAfterEvents: deps.continueAsNewAfterEvents }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A claim that ended (settled, withdrawn) is never started again under the same court and case number.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    let created = false;
    try {
      const recorded = await client.workflow.executeUpdateWithStart(awaitRecordUpdate, { args: [{ registrationId }], startWorkflowOperation });
      created = recorded.startedByThisRegistration;
    } catch (err) {
      // A closed claim (or one closing now) has its record complete already.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError) && !(err instanceof WorkflowNotFoundError) && !isClosedWorkflowError(err)) throw err;
    }
    const record = await readClaimRecord(db, claimId);
    if (!record) throw new Error(`claim ${claimId} has a workflow but no record`);
    // The incident records the link in its own chain (it ignores a link it already has).
    if (order.incidentId) await linkToIncident(order.incidentId, claimId, actor);
    return { claimId, created, record };
  }

  async function linkToIncident(incidentId: string, claimId: string, actor: string): Promise<void> {
    try {
      await client.workflow.getHandle(incidentWorkflowId(incidentId)).signal(linkClaimSignal, { claimId, actor });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  async function command<N extends CommandName>(claimId: string, name: N, input: CommandInput<N>): Promise<CommandResult> {
    const handle = client.workflow.getHandle(workflowIdFor(claimId));
    try {
      return await handle.executeUpdate(claimUpdates[name] as typeof claimUpdates.issueCertificate, { args: [input as CommandInput<'issueCertificate'>] });
    } catch (err) {
      const refused = refusalFromUpdate(err, COMMAND_REFUSED);
      if (refused) throw refused;
      if (err instanceof WorkflowNotFoundError || isClosedWorkflowError(err)) {
        const record = await readClaimRecord(db, claimId);
        if (!record) throw new ClaimNotFound(claimId);
        if (CLOSED_STAGES.includes(record.stage)) {
          throw new CommandRefused({ kind: 'conflict', reason: `the claim is ${record.stage.replace('_', ' ')}; no further step can be recorded` });
        }
      }
      throw err;
    }
  }

  async function liveStatus(claimId: string): Promise<LiveClaimStatus> {
    try {
      return await client.workflow.getHandle(workflowIdFor(claimId)).query(statusQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new ClaimNotFound(claimId);
      throw err;
    }
  }

  return { register, command, liveStatus, record: (claimId: string) => readClaimRecord(db, claimId) };
}
export type ClaimService = ReturnType<typeof createClaimService>;

function isClosedWorkflowError(err: unknown): boolean {
  return err instanceof Error && /workflow execution already completed|already completed/i.test(err.message);
}
