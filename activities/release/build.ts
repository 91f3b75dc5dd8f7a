/**
 * Builds and stores a release: one consistent snapshot of every claim (repeatable read), aggregated as it streams,
 * protected against the disclosure attack, and written once under the key of the workflow that asked for it, so a
 * retried activity returns the release it already published.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { type ReleaseExtras } from '../../db/releases';
import { indicatorRecord, latestIndicatorDefinitions } from '../../db/reports';
import { financialYearOf } from '../../domain/referral/priority';
import { TREND_LENGTH, indicatorValue } from '../../domain/report/indicators';
import { financialYearPeriod, periodsEndingWith, quarterOf } from '../../domain/report/periods';
import { publishableIndicatorRows } from '../../domain/report/public-indicators';
import { createCheckpoint } from '../../db/checkpoint';
import { calendarDateAt, endOfPreviousMonth } from '../../domain/calendar-date';
import { canonicalJson } from '../../db/chain';
import type { Db } from '../../db/connection';
import { admitPendingOrders, agencyNames, insertRelease, latestRelease, pendingOrders, releaseByRequestKey, releaseDisclosure, scanClaimFacts } from '../../db/releases';
import { DATA_PACKAGE_VERSION, FineGroups, MIN_NEW_ORDERS, admission, previousRelease, releaseContent } from '../../domain/release';
import type { BuildReleaseInput, BuildReleaseResult } from '../../workflows/release/messages';
import { accountabilitySection } from './accountability';
import { loadSolver } from './solver';

export interface ReleaseDeps {
  db: Db;
  /**
   * Signs a checkpoint of every claim's chain head in the release's snapshot, published with the release (the signed
   * document names no claim: counts and digests). Without a key, releases carry no checkpoint.
   */
  checkpointKey?: KeyObject;
}

/** Two builds never interleave: the second waits (its activity retries) until the first has committed. */
const RELEASE_LOCK = 0x5245_4c45; // "RELE"

export class ReleaseBusy extends Error {}

/** The latest indicator definitions, computed over the orders the release counts, as the public may see them. */
async function publicIndicators(trx: Knex.Transaction, asOf: string): Promise<NonNullable<ReleaseExtras['indicators']>> {
  const definitions = await latestIndicatorDefinitions(trx);
  const record = await indicatorRecord(trx, { releasedOnly: true });
  const periods = [
    ...periodsEndingWith(quarterOf(asOf), TREND_LENGTH.quarter),
    ...periodsEndingWith(financialYearPeriod(financialYearOf(asOf)), TREND_LENGTH.financial_year),
  ];
  const computed = definitions.indicators.flatMap((definition) => periods.map((period) => ({ definition, period, value: indicatorValue(definition, record, period, asOf) })));
  return { definitionsVersion: definitions.version, rows: publishableIndicatorRows(computed) };
}

export function createReleaseActivities(deps: ReleaseDeps) {
  async function buildRelease(input: BuildReleaseInput): Promise<BuildReleaseResult> {
    const existing = await releaseByRequestKey(deps.db, input.requestKey);
    if (existing) return { outcome: 'published', number: existing.number, publishedAt: existing.publishedAt, asOf: existing.asOf, claims: existing.claims };
    const solver = await loadSolver();
    const heartbeat = () => { try { Context.current().heartbeat(); } catch { /* outside an activity (scripts, tests) */ } };
    return deps.db.transaction(async (trx) => {
      const { rows: [lock] } = await trx.raw('SELECT pg_try_advisory_xact_lock(?) AS ok', [RELEASE_LOCK]);
      if (!lock.ok) throw new ReleaseBusy('another release is being built; this one will try again');
      const again = await releaseByRequestKey(trx, input.requestKey);
      if (again) return { outcome: 'published', number: again.number, publishedAt: again.publishedAt, asOf: again.asOf, claims: again.claims };

      const asOf = calendarDateAt(Date.now());
      // Money as at the end of last month: within a month, releases show no day's interest and no day's payment.
      const moneyAsOf = endOfPreviousMonth(asOf);
      const last = await latestRelease(trx);
      const lastDisclosure = last ? await releaseDisclosure(trx, last.number) : null;
      const previous = last && lastDisclosure ? previousRelease(last.tables, lastDisclosure) : null;
      const number = (last?.number ?? 0) + 1;
      // New orders are counted together, six or more at a time; fewer wait. Only the first release can wait whole.
      const { admit, publish } = admission(await pendingOrders(trx), last !== null);
      if (!publish) {
        return { outcome: 'skipped', number: 0, reason: `fewer than ${MIN_NEW_ORDERS} orders are registered; the first release waits until there are ${MIN_NEW_ORDERS}` };
      }
      const groups = new FineGroups();
      const since = last ? { moneyAsOf: last.moneyAsOf, takenAt: last.publishedAt } : null;
      await scanClaimFacts(trx, moneyAsOf, admit, (facts) => { for (const f of facts) groups.add(f); heartbeat(); }, undefined, since);
      const names = await agencyNames(trx);
      const { tables, disclosure } = releaseContent(groups.list(), solver, previous,
        { agencyNames: names, agencies: [...names.keys()], asOfYear: Number(asOf.slice(0, 4)), number }, lastDisclosure?.shown ?? {});
      heartbeat();
      if (admit) await admitPendingOrders(trx, number);
      // The indicators of the same orders (those this release counts), withheld where 0-5 stand behind a value.
      const extras: ReleaseExtras = { indicators: await publicIndicators(trx, asOf) };
      heartbeat();
      // The accountability tables (incidents), under the same control, with a record of their own.
      const lastAccountability = last?.extras.accountability && lastDisclosure?.accountability
        ? { tables: last.extras.accountability.tables, disclosure: lastDisclosure.accountability } : null;
      const accountability = await accountabilitySection(trx, solver, { number, asOf, last: lastAccountability });
      if (accountability) {
        extras.accountability = { tables: accountability.tables };
        disclosure.accountability = accountability.disclosure;
      }
      heartbeat();
      let checkpoint: unknown = null;
      if (deps.checkpointKey) {
        const { number: _stored, ...signed } = await createCheckpoint(trx, deps.checkpointKey, { releasedOnly: true });
        checkpoint = signed;
      }
      const digest = createHash('sha256').update(canonicalJson({ number, asOf, moneyAsOf, dataPackageVersion: DATA_PACKAGE_VERSION, tables, checkpoint, extras })).digest('hex');
      await insertRelease(trx, {
        number, requestKey: input.requestKey, asOf, moneyAsOf, trigger: input.trigger, requestedBy: input.requestedBy ?? null, claims: groups.claims,
        dataPackageVersion: DATA_PACKAGE_VERSION, tables, digest, checkpoint, disclosure, extras,
      });
      const stored = await releaseByRequestKey(trx, input.requestKey);
      return { outcome: 'published', number, publishedAt: stored!.publishedAt, asOf, claims: groups.claims };
    }, { isolationLevel: 'repeatable read' });
  }

  return { buildRelease };
}
