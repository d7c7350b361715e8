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
} as const;

/** Prefixes of kinds written by the restriction-order and mass-mailing features. */
export const RESTRICTION_PREFIX = 'restriction.';
export const MAILING_PREFIX = 'mailing.';
