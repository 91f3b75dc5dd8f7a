/**
 * An incident, in the vocabulary of HURIDOCS' Events Standard Formats: an event made of one or more acts, each
 * linking a victim (a pseudonymous reference; for a person killed or disappeared, the family member who is the
 * claimant party), an alleged perpetrator (an agency and a unit category, never a named officer), with the place,
 * county, dates, sources and interventions of the event. Shapes are checked here (zod, strict: a field such as an
 * officer's name has nowhere to go and is refused as unknown).
 */
import { z } from 'zod';
import { compareDates, isCalendarDate } from '../calendar-date';
import { calendarDate } from '../validation';

export const ACTS = ['torture', 'extra_judicial_killing', 'enforced_disappearance', 'arbitrary_arrest_or_detention', 'death_in_custody'] as const;
export type Act = (typeof ACTS)[number];
/** Acts in which the victim died: each incident with one has an inquest track. */
export const DEATH_ACTS: readonly Act[] = ['extra_judicial_killing', 'death_in_custody'];
/** Acts after which the victim cannot act for themselves: the family is the claimant party. */
export const FAMILY_ACTS: readonly Act[] = [...DEATH_ACTS, 'enforced_disappearance'];

export const PLACE_CATEGORIES = ['police_station', 'prison', 'public_place', 'other'] as const;
export const UNIT_CATEGORIES = [
  'regular_police', 'administration_police', 'general_service_unit', 'criminal_investigations', 'special_unit',
  'prison_officers', 'military', 'wildlife_rangers', 'county_enforcement', 'other', 'unknown',
] as const;
export const SOURCE_KINDS = ['documenting_organisation', 'complaint', 'medico_legal_examination'] as const;
export const INTERVENTION_KINDS = [
  'complaint_to_oversight_body', 'complaint_to_police', 'urgent_appeal', 'medical_care', 'legal_representation',
  'court_petition', 'psychosocial_support', 'other',
] as const;

/** Kenya's 47 counties (Constitution, First Schedule), as lower-case slugs. */
export const COUNTIES = [
  'mombasa', 'kwale', 'kilifi', 'tana-river', 'lamu', 'taita-taveta', 'garissa', 'wajir', 'mandera', 'marsabit',
  'isiolo', 'meru', 'tharaka-nithi', 'embu', 'kitui', 'machakos', 'makueni', 'nyandarua', 'nyeri', 'kirinyaga',
  'muranga', 'kiambu', 'turkana', 'west-pokot', 'samburu', 'trans-nzoia', 'uasin-gishu', 'elgeyo-marakwet', 'nandi',
  'baringo', 'laikipia', 'nakuru', 'narok', 'kajiado', 'kericho', 'bomet', 'kakamega', 'vihiga', 'bungoma', 'busia',
  'siaya', 'kisumu', 'homa-bay', 'migori', 'kisii', 'nyamira', 'nairobi',
] as const;
export type County = (typeof COUNTIES)[number];

export const pseudonymousRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/, 'must be a pseudonymous reference of 3-40 letters, digits or dashes');
export const recordId = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be 2-64 lower-case letters, digits or dashes');
export const incidentReference = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/, "must be the recording organisation's own reference: 1-64 letters, digits or / _ . -");

export const actSchema = z.object({
  act: z.enum(ACTS),
  victimRef: pseudonymousRef,
  /** The family member acting for a victim who was killed or disappeared (a pseudonymous reference too). */
  claimantRef: pseudonymousRef.optional(),
  perpetrator: z.object({ agencyId: recordId, unitCategory: z.enum(UNIT_CATEGORIES) }).strict(),
}).strict();

const dated = <K extends string>(kinds: readonly [K, ...K[]]) => z.object({ kind: z.enum(kinds), on: calendarDate }).strict();

export const incidentSchema = z.object({
  reference: incidentReference,
  /** Who documented it; a documenting organisation's user registers under their own organisation. */
  documentingOrganisationId: recordId.optional(),
  occurredOn: calendarDate,
  endedOn: calendarDate.optional(),
  county: z.enum(COUNTIES),
  placeCategory: z.enum(PLACE_CATEGORIES),
  acts: z.array(actSchema).min(1, 'must name at least one act').max(50, 'must have at most 50 acts'),
  sources: z.array(dated(SOURCE_KINDS)).min(1, 'must name at least one source').max(20, 'must have at most 20 sources'),
  interventions: z.array(dated(INTERVENTION_KINDS)).max(50, 'must have at most 50 interventions').default([]),
  /** The body that holds the investigation; by default IPOA for police conduct, otherwise the DCI. */
  investigatingBodyId: recordId.optional(),
}).strict().superRefine((incident, ctx) => {
  // zod runs this even when a field failed its own rule: compare only real dates.
  const real = (d: unknown): d is string => isCalendarDate(d);
  if (real(incident.endedOn) && real(incident.occurredOn) && compareDates(incident.endedOn, incident.occurredOn) < 0) {
    ctx.addIssue({ code: 'custom', path: ['endedOn'], message: 'must not be before occurredOn' });
  }
  const gone = new Set(incident.acts.filter((a) => FAMILY_ACTS.includes(a.act)).map((a) => a.victimRef));
  incident.acts.forEach((a, i) => {
    if (FAMILY_ACTS.includes(a.act) && !a.claimantRef) {
      ctx.addIssue({ code: 'custom', path: ['acts', i, 'claimantRef'], message: `is required for ${a.act.replace(/_/g, ' ')}: the family acts for the victim` });
    }
    if (a.claimantRef && !gone.has(a.victimRef)) {
      ctx.addIssue({ code: 'custom', path: ['acts', i, 'claimantRef'], message: 'is only for a victim who was killed, died in custody or disappeared' });
    }
    if (a.claimantRef && a.claimantRef === a.victimRef) {
      ctx.addIssue({ code: 'custom', path: ['acts', i, 'claimantRef'], message: 'must be the family member, not the victim' });
    }
  });
  const seen = new Set<string>();
  incident.acts.forEach((a, i) => {
    const key = `${a.act}|${a.victimRef}|${a.perpetrator.agencyId}|${a.perpetrator.unitCategory}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['acts', i], message: 'repeats an earlier act' });
    seen.add(key);
  });
  for (const [field, list] of [['sources', incident.sources], ['interventions', incident.interventions]] as const) {
    list.forEach((s, i) => {
      if (real(s.on) && real(incident.occurredOn) && compareDates(s.on, incident.occurredOn) < 0) {
        ctx.addIssue({ code: 'custom', path: [field, i, 'on'], message: 'must not be before occurredOn' });
      }
    });
  }
});

export type ActRecord = z.output<typeof actSchema>;
export type Incident = z.output<typeof incidentSchema>;
export type IncidentInput = z.input<typeof incidentSchema>;

/** Investigating bodies and the prosecuting office seeded with the incidents migration (administrators add others). */
export const IPOA = 'ipoa';
export const DCI = 'dci';
export const ODPP = 'odpp';
/** The National Police Service: its members' conduct is investigated by IPOA (IPOA Act 2011). */
export const POLICE_AGENCY = 'national-police-service';

/** IPOA for police conduct, otherwise the Directorate of Criminal Investigations, unless the incident names a body. */
export function investigatingBodyFor(incident: Pick<Incident, 'acts' | 'investigatingBodyId'>): string {
  if (incident.investigatingBodyId) return incident.investigatingBodyId;
  return incident.acts.some((a) => a.perpetrator.agencyId === POLICE_AGENCY) ? IPOA : DCI;
}

export function hasDeath(incident: Pick<Incident, 'acts'>): boolean {
  return incident.acts.some((a) => DEATH_ACTS.includes(a.act));
}

function slug(text: string): string {
  return text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** The organisation Redress files incidents under when an administrator registers one for no organisation. */
export const NO_ORGANISATION = 'redress';

/**
 * An incident's id comes from who recorded it and their own reference, so the same record registered twice (or
 * imported again) is the same incident. The dot keeps incident ids apart from claim ids, which never have one.
 */
export function incidentIdFor(organisationId: string | undefined, reference: string): string {
  return `${slug(organisationId ?? NO_ORGANISATION)}.${slug(reference) || '0'}`;
}

export function incidentWorkflowId(incidentId: string): string {
  return `incident-${incidentId}`;
}
