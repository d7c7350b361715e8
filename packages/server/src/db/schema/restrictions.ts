import type { Generated } from 'kysely';

/** The register of restriction orders: what was ordered, on what ground, and what became of it. */
export interface RestrictionOrdersTable {
  id: string;
  authority_id: string;
  legal_reference: string;
  legal_text: string;
  target_type: 'channel_post' | 'channel' | 'account_sending' | 'account_reach' | 'content_fingerprint';
  /** The post number in decimal, the channel id, the account id, or the lower-case hex SHA-256. */
  target: string;
  action: string;
  status: 'active' | 'revoked' | 'expired';
  /** 1 when the affected user is not told; `withheld_ground` says on what legal ground. */
  notice_withheld: number;
  withheld_ground: string | null;
  issued_at: number;
  expires_at: number | null;
  ended_at: number | null;
  /** The revoking authority's id, or `system` for an expiry. */
  ended_by: string | null;
  end_reason: string | null;
  posts_restricted: number;
}

/** A notice given to an affected account (never for an order whose notice is withheld). */
export interface RestrictionNoticesTable {
  id: Generated<number>;
  order_id: string;
  account_id: string;
  /** JSON: what was restricted, as the protocol's RestrictedItem. */
  restricted: string;
  notified_at: number;
}
