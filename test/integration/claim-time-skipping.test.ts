/**
 * On the Java time-skipping test server: the workflow's own clock is what "today" means for court dates,
 * so a step dated in the future is refused until that day arrives, and accepted once simulated time reaches it.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { CommandRefused, createClaimService } from '../../api/claims/service';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { createActivities } from '../../activities';
import { timeSkippingExecutable } from '../../scripts/temporal-binaries';
import { createMailer } from '../../worker/mailer';
import { registerSearchAttributes } from '../../worker/search-attributes';
import { createTestDatabase, quietRuntime, sampleOrder } from '../support/harness';
import { SmtpSink } from '../support/smtp-sink';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const smtp = new SmtpSink();
beforeAll(async () => {
  quietRuntime();
  await smtp.start();
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: timeSkippingExecutable() } });
  await registerSearchAttributes(env.connection, 'default');
  database = await createTestDatabase();
});
afterAll(async () => {
  await env?.teardown();
  await database?.drop();
  await smtp.stop();
});

it('when judgment was given today, then the certificate is refused until 21 days of simulated time have passed', async () => {
  const taskQueue = 'time-skipping';
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue,
    workflowBundle: { codePath: process.env.REDRESS_WORKFLOW_BUNDLE! },
    activities: createActivities({ db: database.db, mailer: createMailer(smtp.url), mailFrom: 'redress@test.invalid' }),
  });
  const claims = createClaimService({ client: env.client, db: database.db, taskQueue, now: () => env.currentTimeMs() });
  await worker.runUntil(async () => {
    const today = calendarDateAt(await env.currentTimeMs());
    const { claimId } = await claims.register(sampleOrder({
      judgmentDate: today,
      components: [{ label: 'General damages', amountCents: 500_000_000, rateBasisPoints: 1400, interestFrom: today }],
    }), 'admin');
    const certificateDay = addDays(today, 21);

    const early = await claims.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: certificateDay }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(CommandRefused);
    expect((early as CommandRefused).refusal.reason).toContain('is in the future');

    await env.sleep('21 days');
    const issued = await claims.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: certificateDay });
    expect(issued.status.stage).toBe('certificate_issued');
    expect(issued.status.asOf).toBe(certificateDay);
    // 21 days at 14% on KSh 5,000,000: 500,000,000 × 1400 × 21 / 3,650,000 = 4,027,397.26 → 4,027,397 cents.
    expect(issued.status.amounts.interestAccruedCents).toBe(4_027_397);
  });
});
