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
  // The accountability track. The periods are policy (docs/accountability.md); the bases name the duty, not a period.
  complaint_acknowledgement: {
    en: 'acknowledge the complaint about this incident',
    sw: 'kukiri kupokea malalamiko kuhusu tukio hili',
    basis: 'Independent Policing Oversight Authority Act 2011; National Police Service Act 2011 (complaints)',
  },
  investigation_opening: {
    en: 'open an investigation into this incident',
    sw: 'kuanzisha uchunguzi wa tukio hili',
    basis: 'Independent Policing Oversight Authority Act 2011; Prevention of Torture Act 2017',
  },
  investigation_findings: {
    en: 'conclude the investigation and record its findings',
    sw: 'kukamilisha uchunguzi na kurekodi matokeo yake',
    basis: 'Independent Policing Oversight Authority Act 2011; Prevention of Torture Act 2017',
  },
  investigation_recommendation: {
    en: 'make a recommendation on the findings (prosecute, discipline, or close with reasons)',
    sw: 'kutoa pendekezo kuhusu matokeo (kushtaki, hatua za kinidhamu, au kufunga kwa sababu)',
    basis: 'Independent Policing Oversight Authority Act 2011 (recommendations to the DPP)',
  },
  file_forwarding: {
    en: 'forward the investigation file to the Director of Public Prosecutions',
    sw: 'kuwasilisha faili la uchunguzi kwa Mkurugenzi wa Mashtaka ya Umma',
    basis: 'Constitution of Kenya Art. 157; Office of the Director of Public Prosecutions Act 2013',
  },
  charging_decision: {
    en: 'decide whether to charge (charge, no charge with reasons, or further investigation)',
    sw: 'kuamua iwapo kushtaki (kushtaki, kutoshtaki kwa sababu, au uchunguzi zaidi)',
    basis: 'Constitution of Kenya Art. 157; ODPP Decision to Charge Guidelines',
  },
  further_investigation: {
    en: 'complete the further investigation the prosecutor asked for and return the file',
    sw: 'kukamilisha uchunguzi zaidi ulioombwa na mwendesha mashtaka na kurudisha faili',
    basis: 'Constitution of Kenya Art. 157(4) (directions to investigate)',
  },
  charges_filing: {
    en: 'file the charges in court',
    sw: 'kuwasilisha mashtaka mahakamani',
    basis: 'Criminal Procedure Code (Cap 75)',
  },
  trial_start: {
    en: 'bring the accused to trial',
    sw: 'kuwafikisha washtakiwa mahakamani kwa kesi',
    basis: 'Constitution of Kenya Art. 50(2)(e) (trial without unreasonable delay)',
  },
  verdict: {
    en: 'conclude the trial to a verdict for every accused',
    sw: 'kukamilisha kesi hadi hukumu kwa kila mshtakiwa',
    basis: 'Constitution of Kenya Art. 50(2)(e) (trial without unreasonable delay)',
  },
  sentencing: {
    en: 'have every convicted accused sentenced',
    sw: 'kuhakikisha kila aliyepatikana na hatia amehukumiwa adhabu',
    basis: 'Criminal Procedure Code (Cap 75)',
  },
  appeal_decision: {
    en: 'pursue the appeal to a decision',
    sw: 'kufuatilia rufaa hadi uamuzi',
    basis: 'Criminal Procedure Code (Cap 75) Part XI (appeals)',
  },
  death_notification: {
    en: 'notify the death to the investigating body and the coroner',
    sw: 'kuripoti kifo kwa chombo cha uchunguzi na kwa mchunguzi wa vifo',
    basis: 'Independent Policing Oversight Authority Act 2011 (deaths to be reported); National Coroners Service Act 2017',
  },
  post_mortem: {
    en: 'carry out the post-mortem examination',
    sw: 'kufanya uchunguzi wa maiti',
    basis: 'National Coroners Service Act 2017',
  },
  inquest_opening: {
    en: 'open the inquest into the death',
    sw: 'kufungua uchunguzi wa kimahakama wa kifo',
    basis: 'Criminal Procedure Code (Cap 75) Part X (inquiries into deaths); National Coroners Service Act 2017',
  },
  inquest_finding: {
    en: 'conclude the inquest with a finding',
    sw: 'kuhitimisha uchunguzi wa kimahakama kwa uamuzi',
    basis: 'Criminal Procedure Code (Cap 75) Part X (inquiries into deaths)',
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
  investigating_body: { en: 'investigating body', sw: 'chombo cha uchunguzi' },
  prosecuting_body: { en: 'Office of the Director of Public Prosecutions', sw: 'Ofisi ya Mkurugenzi wa Mashtaka ya Umma' },
  coroner: { en: 'National Coroners Service', sw: 'Huduma ya Kitaifa ya Wachunguzi wa Vifo' },
  documenting_organisation: { en: 'documenting organisation', sw: 'shirika lililorekodi tukio' },
};
