/** Authorities: principals of their own with roles and an Ed25519 public key, never user accounts. */
export interface AuthoritiesTable {
  id: string;
  name: string;
  /** Comma-separated roles, sorted. */
  roles: string;
  /** Ed25519 public key, 32 bytes in base64url. */
  public_key: string;
  created_at: number;
  created_by: string;
  disabled_at: number | null;
  disabled_by: string | null;
}

export interface AuthorityNoncesTable {
  authority_id: string;
  nonce: string;
  /** Past this, the request's timestamp is stale anyway and the nonce can be forgotten. */
  expires_at: number;
}

export interface DataRequestsTable {
  id: string;
  authority_id: string;
  legal_reference: string;
  legal_text: string;
  target_type: 'phone_number' | 'account_id';
  target: string;
  received_at: number;
  accounts_disclosed: number;
  /** SHA-256 of the answer as sent: the answer itself is not kept. */
  answer_digest: string;
}
