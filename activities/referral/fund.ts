/**
 * The Victim Protection Fund's ledger. Every change to a year's balance happens in a transaction that first
 * locks the year's row, so concurrent approvals are decided one after another and the fund is never
 * over-committed (a trigger refuses it besides). Entries are keyed so a retried activity writes nothing twice.
 */
import type { Knex } from 'knex';
import { PRIORITY_ORDER_SQL } from '../../domain/referral';
import { type Cents, centsFromDb } from '../../domain/money';
import type { Db } from '../../db/connection';

type Trx = Knex.Transaction;

async function lockYear(trx: Trx, financialYear: string): Promise<void> {
  await trx('fund_years').insert({ financial_year: financialYear }).onConflict('financial_year').ignore();
  await trx('fund_years').where({ financial_year: financialYear }).forUpdate().first();
}

export async function uncommittedBalance(db: Db | Trx, financialYear: string): Promise<Cents> {
  const row = await db('fund_ledger').where({ financial_year: financialYear })
    .select(db.raw(`coalesce(sum(CASE entry WHEN 'receipt' THEN amount_cents WHEN 'commitment' THEN -amount_cents
      WHEN 'release' THEN amount_cents ELSE 0 END), 0) AS balance`)).first();
  return centsFromDb(row?.balance ?? 0);
}

/** Admits waiting referrals in the published priority order while the balance allows; returns their ids. */
export async function admitFromQueue(trx: Trx, financialYear: string, actor: string): Promise<string[]> {
  let balance = await uncommittedBalance(trx, financialYear);
  const waiting = await trx('funding_queue').where({ financial_year: financialYear }).whereNull('admitted_at').whereNull('removed_at')
    .orderByRaw(PRIORITY_ORDER_SQL).select('referral_id', 'amount_cents');
  const admitted: string[] = [];
  for (const w of waiting) {
    const amount = centsFromDb(w.amount_cents);
    if (amount > balance) break; // strict order: a large need at the head is not overtaken by smaller ones
    await trx('fund_ledger').insert({
      financial_year: financialYear, entry: 'commitment', amount_cents: amount, referral_id: w.referral_id,
      reference: `commitment:${w.referral_id}`, actor,
    });
    await trx('funding_queue').where({ referral_id: w.referral_id }).update({ admitted_at: trx.fn.now() });
    balance -= amount;
    admitted.push(w.referral_id);
  }
  return admitted;
}

export interface CommitmentRequest {
  referralId: string;
  financialYear: string;
  amountCents: Cents;
  actor: string;
}

export function createFundActivities(deps: { db: Db }) {
  const { db } = deps;

  /** Joins the queue and runs admission: committed at once if the balance allows and no one ranks ahead. */
  async function requestCommitment(req: CommitmentRequest): Promise<{ outcome: 'committed' | 'queued'; admittedOthers: string[] }> {
    return db.transaction(async (trx) => {
      await lockYear(trx, req.financialYear);
      const committed = await trx('fund_ledger').where({ referral_id: req.referralId, entry: 'commitment' }).first('id');
      if (committed) return { outcome: 'committed', admittedOthers: [] };
      const facts = await trx('referral_priority').where({ referral_id: req.referralId }).first();
      await trx('funding_queue').insert({
        referral_id: req.referralId, financial_year: req.financialYear, amount_cents: req.amountCents,
        urgent_medical: facts?.urgent_medical ?? false, age_years: facts?.age_years ?? 30, disability: facts?.disability ?? false,
        queued_at: trx.fn.now(),
      }).onConflict('referral_id').ignore();
      const admitted = await admitFromQueue(trx, req.financialYear, req.actor);
      const mine = admitted.includes(req.referralId)
        || (await trx('fund_ledger').where({ referral_id: req.referralId, entry: 'commitment' }).first('id')) !== undefined;
      return { outcome: mine ? 'committed' : 'queued', admittedOthers: admitted.filter((id) => id !== req.referralId) };
    });
  }

  async function payProviderFromFund(req: { referralId: string; financialYear: string; amountCents: Cents; reference: string; actor: string }): Promise<void> {
    await db.transaction(async (trx) => {
      await lockYear(trx, req.financialYear);
      await trx('fund_ledger').insert({
        financial_year: req.financialYear, entry: 'payment', amount_cents: req.amountCents, referral_id: req.referralId,
        reference: `payment:${req.referralId}:${req.reference}`, actor: req.actor,
      }).onConflict(['financial_year', 'entry', 'reference']).ignore();
    });
  }

  /** Gives back what a closed referral will not spend (or takes it out of the queue), then admits who is next. */
  async function releaseCommitment(req: { referralId: string; financialYear: string; actor: string }): Promise<{ releasedCents: Cents; admitted: string[] }> {
    return db.transaction(async (trx) => {
      await lockYear(trx, req.financialYear);
      await trx('funding_queue').where({ referral_id: req.referralId }).whereNull('admitted_at').update({ removed_at: trx.fn.now() });
      const row = await trx('fund_ledger').where({ referral_id: req.referralId }).whereIn('entry', ['commitment', 'payment', 'release'])
        .select(trx.raw(`coalesce(sum(CASE entry WHEN 'commitment' THEN amount_cents ELSE -amount_cents END), 0) AS unpaid`)).first();
      const unpaid = centsFromDb(row?.unpaid ?? 0);
      if (unpaid > 0) {
        await trx('fund_ledger').insert({
          financial_year: req.financialYear, entry: 'release', amount_cents: unpaid, referral_id: req.referralId,
          reference: `release:${req.referralId}`, actor: req.actor,
        });
      }
      return { releasedCents: unpaid, admitted: await admitFromQueue(trx, req.financialYear, req.actor) };
    });
  }

  return { requestCommitment, payProviderFromFund, releaseCommitment };
}

export interface FundReceipt {
  financialYear: string;
  reference: string;
  amountCents: Cents;
  /** Null only for receipts recorded before their date was kept. */
  receivedOn: string | null;
  /** The queued referrals this receipt let through. */
  admitted: string[];
}

/**
 * Money received by the fund (from the administrator, not a workflow). A reference is recorded once per financial
 * year: the same receipt again returns the first (inserted: false); the same reference with another amount or date
 * returns the first with `differs` naming what differs, and records nothing.
 */
export async function recordFundReceipt(db: Db, req: { financialYear: string; amountCents: Cents; reference: string; receivedOn: string; actor: string }): Promise<{ inserted: boolean; receipt: FundReceipt; differs: ('amountCents' | 'receivedOn')[] }> {
  return db.transaction(async (trx) => {
    await lockYear(trx, req.financialYear); // serialises receipts of the year, so two identical ones cannot both insert
    const first = await trx('fund_ledger').leftJoin('fund_receipt_details', 'fund_receipt_details.ledger_id', 'fund_ledger.id')
      .where({ financial_year: req.financialYear, entry: 'receipt', reference: req.reference })
      .first('amount_cents', trx.raw(`to_char(received_on, 'YYYY-MM-DD') AS received_on`), 'admitted');
    if (first) {
      const receipt: FundReceipt = {
        financialYear: req.financialYear, reference: req.reference, amountCents: centsFromDb(first.amount_cents),
        receivedOn: first.received_on, admitted: first.admitted ?? [],
      };
      const differs: ('amountCents' | 'receivedOn')[] = [];
      if (receipt.amountCents !== req.amountCents) differs.push('amountCents');
      if (receipt.receivedOn !== null && receipt.receivedOn !== req.receivedOn) differs.push('receivedOn');
      return { inserted: false, receipt, differs };
    }
    const [row] = await trx('fund_ledger').insert({
      financial_year: req.financialYear, entry: 'receipt', amount_cents: req.amountCents, referral_id: null,
      reference: req.reference, actor: req.actor,
    }).returning('id');
    const admitted = await admitFromQueue(trx, req.financialYear, req.actor);
    await trx('fund_receipt_details').insert({ ledger_id: row.id, received_on: req.receivedOn, admitted: JSON.stringify(admitted) });
    return {
      inserted: true, differs: [],
      receipt: { financialYear: req.financialYear, reference: req.reference, amountCents: req.amountCents, receivedOn: req.receivedOn, admitted },
    };
  });
}
