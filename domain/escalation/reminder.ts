/** What a reminder says, fixed when it falls due (so the record shows exactly what was owed that day). */
import type { CalendarDate } from '../calendar-date';
import type { Cents } from '../money';
import type { DeadlineKind, Obligor } from './policy';

export interface ReminderContent {
  claimId: string;
  court: string;
  caseNumber: string;
  respondentAgencyId: string;
  advocateId: string;
  deadlineKey: string;
  kind: DeadlineKind;
  owedBy: Obligor;
  /** For a referral's deadlines. */
  referral?: { referralId: string; providerId: string | null; service: string };
  level: number;
  occurrence: number;
  to: string[];
  cc: string[];
  advocateNotice: 'ripe_for_mandamus' | 'ripe_for_contempt' | null;
  /** The last day the step was due. */
  dueDate: CalendarDate;
  asOf: CalendarDate;
  daysOverdue: number;
  outstandingCents: Cents;
  interestAccruedCents: Cents;
  dailyInterestCents: Cents;
  policyVersion: number;
  /** For a lapsed commitment: what the agency committed to through a reminder's link, and who. */
  commitment?: AgencyCommitment;
}

export interface AgencyCommitment {
  reminderId: string;
  deadlineKey: string;
  action: string;
  dueOn: CalendarDate;
  responsible: string;
  officerName: string;
  madeOn: CalendarDate;
}

export interface StepWording {
  en: string;
  sw: string;
  basis: string;
}

/** The step owed at each deadline and its legal basis, in English and Kiswahili. */
export const STEP_OWED: Record<DeadlineKind, StepWording> = {
  certificate_application: {
    en: 'apply for the certificate of order against the Government and serve it on the Attorney General',
    sw: 'kuomba cheti cha amri dhidi ya Serikali na kukiwasilisha kwa Mwanasheria Mkuu',
    basis: 'Government Proceedings Act (Cap 40) s.21(1)-(2)',
  },
  certificate_service: {
    en: 'serve the certificate of order on the Attorney General',
    sw: 'kuwasilisha cheti cha amri kwa Mwanasheria Mkuu',
    basis: 'Government Proceedings Act (Cap 40) s.21(2)',
  },
  budget_allocation: {
    en: 'allocate the amount certified in the certificate of order in the budget',
    sw: 'kutenga katika bajeti kiasi kilichoidhinishwa kwenye cheti cha amri',
    basis: 'Government Proceedings Act (Cap 40) s.21(3)',
  },
  payment: {
    en: 'pay the amount certified, with interest, to the claimant',
    sw: 'kumlipa mdai kiasi kilichoidhinishwa pamoja na riba',
    basis: 'Government Proceedings Act (Cap 40) s.21(3); interest under Civil Procedure Act s.26',
  },
  receipt_confirmation: {
    en: 'confirm that the claimant received the payment',
    sw: 'kuthibitisha kwamba mdai amepokea malipo',
    basis: 'Redress disbursement procedure',
  },
  enforcement_notice: {
    en: 'comply with the decree before the 21-day notice preceding judicial review expires',
    sw: 'kutekeleza hukumu kabla ya kuisha kwa notisi ya siku 21 inayotangulia ombi la mapitio ya kimahakama',
    basis: 'Order 53 Civil Procedure Rules; Law Reform Act (Cap 26) ss.8-9',
  },
  mandamus_compliance: {
    en: 'comply with the order of mandamus within the period the court set',
    sw: 'kutii amri ya mandamus ndani ya muda uliowekwa na mahakama',
    basis: 'order of mandamus (Law Reform Act (Cap 26) s.8)',
  },
  referral_funding_decision: {
    en: 'decide whether the Victim Protection Fund funds this rehabilitation referral',
    sw: 'kuamua iwapo Mfuko wa Kulinda Waathiriwa utagharimia rufaa hii ya matibabu na ukarabati',
    basis: 'Victim Protection Act 2014 Part V; Prevention of Torture Act 2017',
  },
  referral_first_appointment: {
    en: 'give the referred person a first appointment',
    sw: 'kumpa aliyepewa rufaa miadi ya kwanza',
    basis: 'Victim Protection Act 2014 Part V',
  },
  referral_session_report: {
    en: 'report the sessions held since the last report',
    sw: 'kuwasilisha ripoti ya vikao vilivyofanyika tangu ripoti iliyopita',
    basis: 'Victim Protection Act 2014 Part V (accounting for the Fund\'s money)',
  },
  agency_commitment: {
    en: 'do what the agency committed to, by the date it gave, through the link in an earlier reminder',
    sw: 'kutekeleza ahadi iliyotolewa na taasisi, kufikia tarehe iliyotaja, kupitia kiungo katika ukumbusho uliotangulia',
    basis: 'the commitment recorded in the claim\'s record; the underlying step as in the earlier reminder',
  },
  contempt_purge: {
    en: 'purge the contempt by paying within the period the court set',
    sw: 'kuondoa dharau ya mahakama kwa kulipa ndani ya muda uliowekwa na mahakama',
    basis: 'contempt of court (Judicature Act (Cap 8) s.5)',
  },
};

export const ROLE_NAMES: Record<string, { en: string; sw: string }> = {
  advocate: { en: "claimant's advocate", sw: 'Wakili wa mdai' },
  accounting_officer: { en: 'Accounting Officer', sw: 'Afisa Masuuli' },
  principal_secretary: { en: 'Principal Secretary', sw: 'Katibu Mkuu' },
  attorney_general: { en: 'Attorney General', sw: 'Mwanasheria Mkuu' },
  national_treasury: { en: 'National Treasury', sw: 'Hazina ya Kitaifa' },
  controller_of_budget: { en: 'Controller of Budget', sw: 'Msimamizi wa Bajeti' },
  knchr: { en: 'Kenya National Commission on Human Rights', sw: 'Tume ya Kitaifa ya Haki za Binadamu ya Kenya' },
  commission_on_administrative_justice: { en: 'Commission on Administrative Justice', sw: 'Tume ya Haki ya Kiutawala' },
  fund_administrator: { en: 'Victim Protection Fund administrator', sw: 'Msimamizi wa Mfuko wa Kulinda Waathiriwa' },
  provider: { en: 'rehabilitation provider', sw: 'mtoa huduma ya ukarabati' },
};
