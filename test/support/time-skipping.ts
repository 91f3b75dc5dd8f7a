/**
 * A harness on the Java time-skipping test server: months pass in seconds, while PostgreSQL, SMTP and the
 * activities stay real. Contacts for every ladder role are set, so each reminder has somewhere to go.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createClaimService } from '../../api/claims/service';
import { createEscalationService } from '../../api/escalation/service';
import { calendarDateAt } from '../../domain/calendar-date';
import { timeSkippingExecutable } from '../../scripts/temporal-binaries';
import { createMailer } from '../../worker/mailer';
import { registerSearchAttributes } from '../../worker/search-attributes';
import { TEST_LINKS, createTestDatabase, quietRuntime } from './harness';
import { SmtpSink } from './smtp-sink';

export const CONTACTS = {
  accounting_officer: 'ao@police.test',
  principal_secretary: 'ps@interior.test',
  attorney_general: 'ag@statelaw.test',
  national_treasury: 'pending-bills@treasury.test',
  controller_of_budget: 'cob@cob.test',
  knchr: 'complaints@knchr.test',
  commission_on_administrative_justice: 'info@ombudsman.test',
  advocate: 'wanjiru@advocates.test',
} as const;

export async function createTimeSkippingHarness() {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: timeSkippingExecutable() } });
  await registerSearchAttributes(env.connection, 'default');
  const database = await createTestDatabase();
  const smtp = new SmtpSink();
  await smtp.start();
  const taskQueue = 'redress-time-skipping';
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue,
    workflowBundle: { codePath: process.env.REDRESS_WORKFLOW_BUNDLE! },
    activities: createActivities({ db: database.db, mailer: createMailer(smtp.url), mailFrom: 'Redress <redress@test.invalid>', links: TEST_LINKS }),
  });
  const running = worker.run();
  const claims = createClaimService({ client: env.client, db: database.db, taskQueue, now: () => env.currentTimeMs() });
  const escalation = createEscalationService({ client: env.client, db: database.db });
  const admin = 'admin-achieng';
  for (const [role, email] of Object.entries(CONTACTS)) {
    if (role === 'advocate') continue;
    const perAgency = role === 'accounting_officer' || role === 'principal_secretary';
    await escalation.setContact({ agencyId: perAgency ? 'national-police-service' : null, role, name: `Test ${role}`, email }, admin);
  }
  return {
    env, db: database.db, smtp, claims, escalation, admin, taskQueue,
    today: async () => calendarDateAt(await env.currentTimeMs()),
    /** Messages about one claim, in the order they arrived. */
    mailFor: (claimId: string) => smtp.messages.filter((m) => m.headers.get('x-redress-claim') === claimId),
    /** Messages about one incident, in the order they arrived. */
    mailForIncident: (incidentId: string) => smtp.messages.filter((m) => m.headers.get('x-redress-incident') === incidentId),
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
      await smtp.stop();
      await database.drop();
    },
  };
}
