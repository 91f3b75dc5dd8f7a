/**
 * Monitoring and evaluation indicators are data: a versioned document of definitions (name, what it measures,
 * numerator, denominator, period, target, the law or recommendation it tracks) that administrators change only by
 * publishing a new version. What a definition cannot do is supply a value: its `computation` names one of the
 * computations below (with its parameters), and the value always comes from the record (indicators.ts).
 */
import { z } from 'zod';
import { nonEmptyText } from '../validation';

const text = (max: number) => z.object({ en: nonEmptyText(max), sw: nonEmptyText(max) }).strict();

export const COMPUTATIONS = [
  'paid_in_full_within_months', 'median_days_certificate_to_full_payment', 'outstanding_escalated_to_level', 'interest_paid',
  'rehabilitation_need_funded', 'first_appointment_on_time',
  'incidents_investigated_on_time', 'investigations_with_charging_decision', 'deaths_with_inquest_on_time', 'convictions_per_100_incidents',
] as const;
export type ComputationKind = (typeof COMPUTATIONS)[number];
/** Computations over the accountability track (incidents): "no data" until the record has incidents. */
export const ACCOUNTABILITY_COMPUTATIONS: readonly ComputationKind[] = [
  'incidents_investigated_on_time', 'investigations_with_charging_decision', 'deaths_with_inquest_on_time', 'convictions_per_100_incidents',
];

const plain = <K extends ComputationKind>(kind: K) => z.object({ kind: z.literal(kind) }).strict();
export const computationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paid_in_full_within_months'), months: z.number().int().min(1, 'must be at least 1').max(120, 'must be at most 120') }).strict(),
  z.object({ kind: z.literal('outstanding_escalated_to_level'), level: z.number().int().min(0, 'must not be negative').max(9, 'must be at most 9') }).strict(),
  plain('median_days_certificate_to_full_payment'), plain('interest_paid'), plain('rehabilitation_need_funded'), plain('first_appointment_on_time'),
  plain('incidents_investigated_on_time'), plain('investigations_with_charging_decision'), plain('deaths_with_inquest_on_time'),
  plain('convictions_per_100_incidents'),
]);
export type Computation = z.output<typeof computationSchema>;

/** What a value is: a share (shown as a percentage), a number of days, an amount of money, or a rate per 100. */
export type IndicatorUnit = 'percent' | 'days' | 'cents' | 'per_100';
export const UNIT_OF: Record<ComputationKind, IndicatorUnit> = {
  paid_in_full_within_months: 'percent', median_days_certificate_to_full_payment: 'days', outstanding_escalated_to_level: 'percent',
  interest_paid: 'cents', rehabilitation_need_funded: 'percent', first_appointment_on_time: 'percent',
  incidents_investigated_on_time: 'percent', investigations_with_charging_decision: 'percent', deaths_with_inquest_on_time: 'percent',
  convictions_per_100_incidents: 'per_100',
};

export const indicatorDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{2,63}$/, 'must be 3-64 lower-case letters, digits or underscores, starting with a letter'),
  name: text(200),
  measures: text(600),
  numerator: text(400),
  /** Null for an amount of money or a median, which have no denominator. */
  denominator: text(400).nullable(),
  /** The period the indicator is chiefly reported for; every indicator is computed per quarter and per financial year. */
  period: z.enum(['quarter', 'financial_year']),
  computation: computationSchema,
  /** In the unit of the value: percent (0-100), days, KES cents, or per 100. Null: no target set. */
  target: z.object({ value: z.number().min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER), direction: z.enum(['at_least', 'at_most']) }).strict().nullable(),
  source: z.object({
    law: nonEmptyText(300),
    recommendation: nonEmptyText(400).optional(),
  }).strict(),
}).strict().superRefine((d, ctx) => {
  const unit = UNIT_OF[d.computation.kind];
  if (unit === 'percent' && d.target && d.target.value > 100) ctx.addIssue({ code: 'custom', path: ['target', 'value'], message: 'is a percentage: at most 100' });
  if ((unit === 'percent' || unit === 'per_100') && d.denominator === null) ctx.addIssue({ code: 'custom', path: ['denominator'], message: 'is required for a share or a rate' });
});
export type IndicatorDefinition = z.output<typeof indicatorDefinitionSchema>;

export const indicatorDocumentSchema = z.object({
  indicators: z.array(indicatorDefinitionSchema).min(1, 'must define at least one indicator').max(50, 'must define at most 50 indicators')
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((d, i) => {
        if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `repeats the id ${d.id}` });
        seen.add(d.id);
      });
    }),
}).strict();
export interface IndicatorDocument {
  indicators: IndicatorDefinition[];
}
export interface IndicatorDefinitions extends IndicatorDocument {
  version: number;
  publishedAt: string;
  publishedBy: string;
  note: string | null;
}

const CAT = 'UN Convention against Torture';

/** The first set (issue 13), published as version 1 by migration 009. */
export const DEFAULT_INDICATOR_DOCUMENT: IndicatorDocument = indicatorDocumentSchema.parse({
  indicators: [
    {
      id: 'awards_paid_within_12_months',
      name: { en: 'Court awards paid in full within 12 months of the certificate', sw: 'Tuzo za mahakama zilizolipwa kikamilifu ndani ya miezi 12 tangu cheti cha amri' },
      measures: { en: 'Whether the State pays what courts award within a year of the certificate of order.', sw: 'Iwapo Serikali inalipa tuzo za mahakama ndani ya mwaka mmoja tangu cheti cha amri.' },
      numerator: { en: 'Orders of the denominator paid in full on or before the day 12 months after their certificate', sw: 'Amri za kipimo zilizolipwa kikamilifu kufikia siku ya miezi 12 baada ya cheti' },
      denominator: { en: 'Certified orders whose 12 months ended in the period (not withdrawn or set aside by then)', sw: 'Amri zenye cheti ambazo miezi 12 yake iliisha katika kipindi (hazikuondolewa wala kutenguliwa)' },
      period: 'quarter', computation: { kind: 'paid_in_full_within_months', months: 12 },
      target: { value: 80, direction: 'at_least' },
      source: { law: 'Government Proceedings Act (Cap 40) s.21(3); Prevention of Torture Act 2017 (reparation)', recommendation: `${CAT}, art. 14: fair and adequate compensation` },
    },
    {
      id: 'median_days_to_full_payment',
      name: { en: 'Median days from certificate to full payment', sw: 'Wastani wa kati wa siku kutoka cheti cha amri hadi malipo kamili' },
      measures: { en: 'How long a survivor typically waits for the State to pay once the debt is certified.', sw: 'Muda ambao mwathiriwa husubiri kwa kawaida hadi Serikali ilipe baada ya deni kuthibitishwa.' },
      numerator: { en: 'Median of the days from certificate to full payment', sw: 'Wastani wa kati wa siku kutoka cheti hadi malipo kamili' },
      denominator: null,
      period: 'quarter', computation: { kind: 'median_days_certificate_to_full_payment' },
      target: { value: 365, direction: 'at_most' },
      source: { law: 'Government Proceedings Act (Cap 40) s.21(3)', recommendation: `${CAT}, art. 14` },
    },
    {
      id: 'outstanding_escalated_to_level_4',
      name: { en: 'Outstanding awards escalated to level 4', sw: 'Tuzo ambazo hazijalipwa zilizopandishwa hadi ngazi ya 4' },
      measures: { en: 'How many unpaid awards have gone unanswered up the whole ladder, to the oversight bodies.', sw: 'Tuzo ambazo hazijalipwa zilizopita ngazi zote za ukumbusho hadi kwa taasisi za usimamizi.' },
      numerator: { en: 'Outstanding awards whose escalation had reached level 4 by the end of the period', sw: 'Tuzo ambazo hazijalipwa zilizofikia ngazi ya 4 kufikia mwisho wa kipindi' },
      denominator: { en: 'Awards outstanding at the end of the period (not paid in full, withdrawn or set aside)', sw: 'Tuzo ambazo hazijalipwa mwishoni mwa kipindi' },
      period: 'quarter', computation: { kind: 'outstanding_escalated_to_level', level: 4 },
      target: { value: 10, direction: 'at_most' },
      source: { law: 'Government Proceedings Act (Cap 40) s.21; Public Finance Management Act 2012 (pending bills)', recommendation: 'Controller of Budget and National Treasury: settle pending bills first in, first out' },
    },
    {
      id: 'interest_paid_for_delay',
      name: { en: 'Interest paid by the State because of delay', sw: 'Riba iliyolipwa na Serikali kwa sababu ya kuchelewa' },
      measures: { en: 'Public money spent on interest because awards were not paid when made.', sw: 'Fedha za umma zilizotumika kulipa riba kwa sababu tuzo hazikulipwa zilipotolewa.' },
      numerator: { en: 'Part of the payments made in the period that went to interest (under each order\'s appropriation rule)', sw: 'Sehemu ya malipo ya kipindi iliyoenda kwa riba' },
      denominator: null,
      period: 'financial_year', computation: { kind: 'interest_paid' },
      target: null,
      source: { law: 'Civil Procedure Act (Cap 21) s.26 (interest on decrees); Public Finance Management Act 2012' },
    },
    {
      id: 'rehabilitation_need_funded',
      name: { en: 'Rehabilitation need funded by the Victim Protection Fund', sw: 'Mahitaji ya ukarabati yaliyogharimiwa na Mfuko wa Kulinda Waathiriwa' },
      measures: { en: 'The share of the assessed cost of rehabilitation that the Fund committed.', sw: 'Sehemu ya gharama iliyotathminiwa ya ukarabati ambayo Mfuko uliahidi kulipa.' },
      numerator: { en: 'Amount the Fund committed, by the end of the period, to referrals assessed in the period', sw: 'Kiasi ambacho Mfuko uliahidi kwa rufaa zilizotathminiwa katika kipindi' },
      denominator: { en: 'Assessed cost of the referrals assessed in the period', sw: 'Gharama iliyotathminiwa ya rufaa zilizotathminiwa katika kipindi' },
      period: 'quarter', computation: { kind: 'rehabilitation_need_funded' },
      target: { value: 90, direction: 'at_least' },
      source: { law: 'Victim Protection Act 2014, Part V (Victim Protection Trust Fund); Prevention of Torture Act 2017 (rehabilitation)', recommendation: `${CAT}, art. 14: as full rehabilitation as possible` },
    },
    {
      id: 'first_appointment_on_time',
      name: { en: 'Referrals whose first appointment met its deadline', sw: 'Rufaa ambazo miadi ya kwanza ilitolewa ndani ya muda' },
      measures: { en: 'Whether funded survivors are seen promptly by the provider.', sw: 'Iwapo waathiriwa waliogharimiwa wanaonwa haraka na mtoa huduma.' },
      numerator: { en: 'Referrals of the denominator whose first appointment was on or before the deadline', sw: 'Rufaa ambazo miadi ya kwanza ilikuwa kabla ya mwisho wa muda' },
      denominator: { en: 'Funded referrals whose first-appointment deadline (deadline policy) fell in the period, less those closed before it without an appointment', sw: 'Rufaa zilizogharimiwa ambazo muda wa miadi ya kwanza uliisha katika kipindi' },
      period: 'quarter', computation: { kind: 'first_appointment_on_time' },
      target: { value: 90, direction: 'at_least' },
      source: { law: 'Victim Protection Act 2014, Part V; Redress deadline policy (referral_first_appointment)' },
    },
    {
      id: 'incidents_investigated_on_time',
      name: { en: 'Incidents investigated within the policy period', sw: 'Matukio yaliyochunguzwa ndani ya muda wa sera' },
      measures: { en: 'Whether documented violations are promptly investigated.', sw: 'Iwapo ukiukaji uliorekodiwa unachunguzwa haraka.' },
      numerator: { en: 'Incidents of the denominator whose investigation opened on or before its due date', sw: 'Matukio ambayo uchunguzi ulianza kabla ya tarehe ya mwisho' },
      denominator: { en: 'Incidents whose investigation was due to open in the period', sw: 'Matukio ambayo uchunguzi ulipaswa kuanza katika kipindi' },
      period: 'quarter', computation: { kind: 'incidents_investigated_on_time' },
      target: { value: 90, direction: 'at_least' },
      source: { law: 'Independent Policing Oversight Authority Act 2011; Prevention of Torture Act 2017', recommendation: `${CAT}, art. 12: prompt and impartial investigation` },
    },
    {
      id: 'investigations_with_charging_decision',
      name: { en: 'Investigations ending in a charging decision', sw: 'Uchunguzi uliokamilika kwa uamuzi wa kushtaki' },
      measures: { en: 'Whether concluded investigations reach the prosecutor and get a decision, to charge or not, with reasons.', sw: 'Iwapo uchunguzi uliokamilika unamfikia mwendesha mashtaka na kupata uamuzi wenye sababu.' },
      numerator: { en: 'Investigations of the denominator with a charging decision recorded by the end of the period', sw: 'Uchunguzi wenye uamuzi wa kushtaki uliorekodiwa kufikia mwisho wa kipindi' },
      denominator: { en: 'Investigations concluded in the period', sw: 'Uchunguzi uliokamilika katika kipindi' },
      period: 'quarter', computation: { kind: 'investigations_with_charging_decision' },
      target: { value: 75, direction: 'at_least' },
      source: { law: 'Office of the Director of Public Prosecutions Act 2013; Prevention of Torture Act 2017', recommendation: `${CAT}, art. 7: submit the case for prosecution` },
    },
    {
      id: 'deaths_with_inquest_on_time',
      name: { en: 'Deaths with an inquest opened within the policy period', sw: 'Vifo ambavyo uchunguzi wa kimahakama ulifunguliwa ndani ya muda wa sera' },
      measures: { en: 'Whether deaths in custody and killings are examined by a coroner promptly.', sw: 'Iwapo vifo vya kizuizini na mauaji vinachunguzwa na mchunguzi wa vifo haraka.' },
      numerator: { en: 'Deaths of the denominator whose inquest opened on or before its due date', sw: 'Vifo ambavyo uchunguzi wa kimahakama ulifunguliwa kabla ya tarehe ya mwisho' },
      denominator: { en: 'Deaths whose inquest was due to open in the period', sw: 'Vifo ambavyo uchunguzi wa kimahakama ulipaswa kufunguliwa katika kipindi' },
      period: 'quarter', computation: { kind: 'deaths_with_inquest_on_time' },
      target: { value: 100, direction: 'at_least' },
      source: { law: 'National Coroners Service Act 2017', recommendation: 'Minnesota Protocol on the Investigation of Potentially Unlawful Death (2016)' },
    },
    {
      id: 'convictions_per_100_incidents',
      name: { en: 'Convictions per 100 incidents documented', sw: 'Hukumu za hatia kwa kila matukio 100 yaliyorekodiwa' },
      measures: { en: 'How often documented violations end in a conviction: the end of the attrition from documented to convicted.', sw: 'Mara ngapi ukiukaji uliorekodiwa unaishia kwa hukumu ya hatia.' },
      numerator: { en: 'Convictions (verdicts of guilty, per accused) handed down in the period', sw: 'Hukumu za hatia zilizotolewa katika kipindi' },
      denominator: { en: 'Incidents documented in the period', sw: 'Matukio yaliyorekodiwa katika kipindi' },
      period: 'financial_year', computation: { kind: 'convictions_per_100_incidents' },
      target: null,
      source: { law: 'Prevention of Torture Act 2017 (offences)', recommendation: `${CAT}, art. 4: torture punishable by appropriate penalties` },
    },
  ],
});
