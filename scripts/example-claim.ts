/**
 * `npm run example`: registers a clearly fictional court order and drives it from code through every stage
 * to settlement, printing each step's verdict. Needs a running Redress (`npm start` in another terminal).
 */
import { createClaimService } from '../api/claims/service';
import { createEscalationService } from '../api/escalation/service';
import { createDb } from '../db/connection';
import { databaseUrl } from '../worker/local-instance';
import { connectClient } from '../worker/temporal-config';
import { formatKes } from '../domain/money';

async function main(): Promise<void> {
  const db = createDb(databaseUrl());
  const { client, settings, close } = await connectClient();
  const claims = createClaimService({ client, db, taskQueue: settings.taskQueue });
  const admin = 'example-administrator';
  const escalation = createEscalationService({ client, db });
  try {
    // Who reminders go to: the claim's advocate, and the respondent agency's officers (fictional addresses).
    await escalation.setAdvocate({ id: 'example-advocate', name: 'Example Advocate', email: 'advocate@example.org' }, admin);
    await escalation.setContact({ agencyId: 'national-police-service', role: 'accounting_officer', name: 'Accounting Officer (example)', email: 'ao@example.org' }, admin);
    await escalation.setContact({ agencyId: 'national-police-service', role: 'principal_secretary', name: 'Principal Secretary (example)', email: 'ps@example.org' }, admin);

    const { claimId, created, record } = await claims.register({
      court: 'High Court of Kenya at Nairobi (example)',
      caseNumber: `Petition E${Date.now() % 100000} of 2016`,
      judgmentDate: '2017-03-01',
      respondentAgencyId: 'national-police-service',
      survivorRef: 'EXAMPLE-0001',
      violationTypes: ['torture'],
      advocateId: 'example-advocate',
      components: [
        { label: 'General damages', amountCents: 70_000_000, rateBasisPoints: 1200, interestFrom: '2017-03-01' },
        { label: 'Costs', amountCents: 15_011_000, rateBasisPoints: 1200, interestFrom: '2017-03-01' },
      ],
    }, admin);
    console.log(`${created ? 'registered' : 'already registered'}: ${claimId} (${record.stage})`);

    await claims.command(claimId, 'issueCertificate', { actor: admin, issuedOn: '2017-03-22' });
    await claims.command(claimId, 'serveCertificate', { actor: admin, servedOn: '2017-03-24' });
    await claims.command(claimId, 'allocateBudget', { actor: admin, amountCents: 200_000_000, budgetLine: 'R1021-2640500', financialYear: '2024/25', allocatedOn: '2024-07-10' });
    const first = await claims.command(claimId, 'recordTranche', { actor: admin, paymentReference: 'PV-EX-1', amountCents: 100_000_000, paidOn: '2024-08-01' });
    console.log(`tranche 1 paid; outstanding today ${formatKes(first.status.amounts.outstandingCents)}`);
    const live = await claims.liveStatus(claimId);
    // Pay the rest as of today: the workflow refuses any amount above what is owed on the payment date.
    const rest = await claims.command(claimId, 'recordTranche', { actor: admin, paymentReference: 'PV-EX-2', amountCents: live.amounts.outstandingCents, paidOn: live.asOf });
    console.log(`tranche 2 paid; stage ${rest.status.stage}`);
    await claims.command(claimId, 'confirmReceipt', { actor: 'example-advocate', paymentReference: 'PV-EX-1', receivedOn: '2024-08-02' });
    const done = await claims.command(claimId, 'confirmReceipt', { actor: 'example-advocate', paymentReference: 'PV-EX-2', receivedOn: live.asOf });
    console.log(`receipts confirmed; stage ${done.status.stage}; paid ${formatKes(done.status.amounts.paidCents)} in all`);
    const rec = await claims.record(claimId);
    console.log(`record: ${rec?.events.length} chained events (steps, escalations and reminders); verify with: npm run verify-chain -- ${claimId}`);
    const reminders = await db('reminders').where({ claim_id: claimId }).select('deadline_key', 'level', 'status');
    console.log(`reminders: ${reminders.map((r) => `${r.deadline_key} level ${r.level} ${r.status}`).join('; ') || 'none'}`);
  } finally {
    await close();
    await db.destroy();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
