/**
 * The linear-programming solver the disclosure attack runs on: HiGHS, compiled to WebAssembly (npm `highs`).
 * Loaded once per process; each solve is a fresh solver instance, so solves never share state.
 */
import highsLoader from 'highs';
import type { LinearSolver } from '../../domain/release/attack';

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let loading: Promise<Highs> | null = null;

/** Seconds one solve may take before the build gives up rather than publish figures it could not check. */
const SOLVE_SECONDS = 60;

export async function loadSolver(): Promise<LinearSolver> {
  loading ??= highsLoader();
  const highs = await loading;
  return {
    solve(lp) {
      const r = highs.solve(lp, { time_limit: SOLVE_SECONDS, output_flag: false, mip_rel_gap: 0 });
      switch (r.Status) {
        case 'Optimal': {
          const duals = new Map<string, number>();
          for (const row of r.Rows) if ('Dual' in row && 'Name' in row) duals.set(row.Name, row.Dual);
          const integral = Object.values(r.Columns).every((c) => Math.abs(c.Primal - Math.round(c.Primal)) < 1e-7);
          return { status: 'optimal', objective: r.ObjectiveValue, duals, integral };
        }
        case 'Infeasible': return { status: 'infeasible', objective: NaN };
        // The attack's systems are feasible (the true figures satisfy them; attack.ts checks), so this is unbounded.
        case 'Unbounded':
        case 'Primal infeasible or unbounded': return { status: 'unbounded', objective: NaN };
        default: throw new Error(`the disclosure check's solver stopped: ${r.Status}`);
      }
    },
  };
}
