/**
 * An incident as the public release sees it (db/incident-facts.ts reads them): no identifier, no date finer than the
 * year. The release's accountability tables are built from these under its disclosure control
 * (domain/release/incidents-schema.ts); nothing aggregates them without it.
 */
import type { Act, County } from './incident';

/** One incident, as the public tables see it: no id, no reference, no victim, no date finer than the year. */
export interface IncidentFact {
  year: number;
  /** Sorted, distinct. */
  acts: Act[];
  county: County;
  /** Sorted, distinct agency ids. */
  perpetratorAgencies: string[];
  /** The body that holds (held) the investigation. */
  responsibleBody: string;
  /** An investigation was opened. */
  investigated: boolean;
  /** Charges were filed in court. */
  charged: boolean;
  /** At least one accused convicted (and not quashed on a defence appeal). */
  convicted: boolean;
  /** The incident includes a death, so an inquest is due. */
  inquestDue: boolean;
  inquestOpened: boolean;
  /** Days from the incident to the charges being filed; null when not charged. */
  daysToCharge: number | null;
  /** The investigation is open and one of its deadlines has lapsed. */
  stalledInvestigation: boolean;
  /** The investigation is still open (not forwarded, disciplined or closed). */
  investigationOpen: boolean;
}
