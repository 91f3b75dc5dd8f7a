/** The log of reads of survivors' personal data (append-only): who read what, and when. */
import type { Db } from './connection';

export interface PersonalDataRead {
  userId: string;
  /** The claim read; null for a read that spans claims, such as decoding Temporal payloads. */
  claimId: string | null;
  what: string;
  details?: Record<string, unknown>;
}

export async function logPersonalDataRead(db: Db, read: PersonalDataRead): Promise<void> {
  await db('personal_data_reads').insert({
    user_id: read.userId, claim_id: read.claimId, what: read.what, details: read.details ? JSON.stringify(read.details) : null,
  });
}
