/**
 * The kinds of audit entries. Entries of features still to come follow the prefixes below, so that the
 * transparency report counts them as soon as they are written.
 */
export const AuditKind = {
  /** A batch of identification decisions with one outcome and reason: `{ outcome, reason, count, requests }`. */
  identificationDecided: 'identification.decided',
  /** Accounts suspended by reconciliation, for a termination notice that never arrived. */
  identificationSuspended: 'identification.suspended',
  /** A contract-termination notice from an operator, and the accounts it suspended. */
  terminationNotice: 'termination.notice',
  authorityCreated: 'authority.created',
  authorityDisabled: 'authority.disabled',
  /** A correctly signed authority request refused: the authority is disabled or lacks the role. */
  authorityRefused: 'authority.refused',
  dataRequestReceived: 'data_request.received',
  dataRequestAnswered: 'data_request.answered',
  /** A restriction order stored and applied: its basis, target, action, expiry, notice (or ground for withholding). */
  restrictionIssued: 'restriction.issued',
  /** A fingerprint order in force hid posts found after its issue. */
  restrictionApplied: 'restriction.applied',
  restrictionRevoked: 'restriction.revoked',
  restrictionExpired: 'restriction.expired',
  /** An official mass mailing sent: its audience, the accounts in it then, and a digest of the signed notice. */
  mailingSent: 'mailing.sent',
  /** A mailing withdrawn by its authority, with how many had received and read it. */
  mailingWithdrawn: 'mailing.withdrawn',
} as const;

/** Prefixes of kinds written by the restriction-order and mass-mailing features. */
export const RESTRICTION_PREFIX = 'restriction.';
export const MAILING_PREFIX = 'mailing.';
