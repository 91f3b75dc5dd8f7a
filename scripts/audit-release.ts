/**
 * `npm run audit-release -- [NUMBER]`: attacks a published release (the latest by default) the way an outsider
 * would, from its published tables and those of the release before it, and checks that no hidden figure can be
 * worked out. Prints what the attacker can prove about each protected figure (never the true values) and exits 1
 * if anything is recovered or a published figure breaks a rule.
 */
import { loadSolver } from '../activities/release/solver';
import { createDb } from '../db/connection';
import { latestReleaseNumber, releaseByNumber, releaseDisclosure } from '../db/releases';
import { INCIDENTS, auditRelease } from '../domain/release';
import { loadDatabaseConfig } from '../worker/config';

async function main(): Promise<number> {
  const db = createDb(loadDatabaseConfig().DATABASE_URL, { max: 2 });
  try {
    const number = process.argv[2] ? Number(process.argv[2]) : await latestReleaseNumber(db);
    if (number === null || !Number.isInteger(number)) { console.error('no release to audit (give its number, or publish one)'); return 2; }
    const load = async (n: number) => {
      const [release, disclosure] = await Promise.all([releaseByNumber(db, n), releaseDisclosure(db, n)]);
      return release && disclosure ? { release, tables: release.tables, disclosure } : null;
    };
    const current = await load(number);
    if (!current) { console.error(`no release ${number}`); return 2; }
    const before = number > 1 ? await load(number - 1) : null;
    const started = Date.now();
    const solver = await loadSolver();
    const orders = auditRelease(solver, current, before);
    // The accountability section (incidents), when the release has one, against the previous release's.
    const section = (r: typeof current | null) => (r?.release.extras.accountability && r.disclosure.accountability
      ? { tables: r.release.extras.accountability.tables, disclosure: r.disclosure.accountability } : null);
    const incidents = section(current) ? auditRelease(solver, section(current)!, section(before), INCIDENTS) : { findings: [], violations: [] };
    const audit = {
      findings: [...orders.findings, ...incidents.findings.map((f) => ({ ...f, id: `accountability/${f.id}` }))],
      violations: [...orders.violations, ...incidents.violations.map((v) => `accountability: ${v}`)],
    };
    const bound = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : 'unbounded');
    for (const f of audit.findings) {
      console.log(`${f.protectedEnough ? 'ok      ' : 'RECOVERED'} ${f.id.padEnd(60)} ${f.kind.padEnd(11)} attacker proves ${bound(f.lo)} to ${bound(f.hi)}`);
    }
    for (const v of audit.violations) console.log(`BROKEN   ${v}`);
    const recovered = audit.findings.filter((f) => !f.protectedEnough).length;
    console.log(`release ${number} (${current.release.asOf}, ${current.release.claims} claims${before ? `, against release ${number - 1}` : ''}): `
      + `${audit.findings.length} protected figures attacked in ${Date.now() - started} ms; ${recovered} recovered; ${audit.violations.length} rule(s) broken`);
    return recovered || audit.violations.length ? 1 : 0;
  } finally {
    await db.destroy();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
