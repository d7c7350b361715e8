import type { Generated } from 'kysely';

/** An official mass mailing: stored once, read by every account in its audience (fan-out on read). */
export interface MailingsTable {
  id: Generated<number>;
  authority_id: string;
  title: string;
  body: string;
  /** JSON: `{"all":true}` or `{"prefixes":[…]}`, prefixes sorted and without repeats. */
  audience: string;
  /** The authority's own time of issue, as signed. */
  issued_at: number;
  /** The authority's Ed25519 signature over the notice (base64url); unique. */
  signature: string;
  sent_at: number;
  /** Identified accounts in the audience when it was sent. */
  audience_size: number;
  status: 'active' | 'withdrawn';
  withdrawn_at: number | null;
}

/** An account's notice state, one row made on first use. */
export interface NoticeStatesTable {
  account_id: string;
  /** Every mailing up to this id has reached one of the account's devices. */
  delivered_up_to: number;
  /** Every mailing up to this id is read. */
  read_up_to: number;
  /** 1 when the account muted the notices (it still receives them). */
  muted: number;
  updated_at: number;
}
