export type SubscriberStatus = 'active' | 'terminated' | 'ported_out';

/** The operator's subscriber base: one row per number, its contract and whether that holds the required identity data. */
export interface SubscribersTable {
  phone_number: string;
  status: SubscriberStatus;
  /** 1 when the contract holds the identity data the law requires, else 0. */
  identity_complete: number;
  created_at: number;
  updated_at: number;
  /** When the contract ended (terminated or ported out); null while active. */
  contract_ended_at: number | null;
}
