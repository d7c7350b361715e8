import type { ContractTerminatedNotice } from '@signet/protocol';
import type { AuditActor, AuditEntryInput } from '../audit/audit-log';
import { AuditKind } from '../audit/kinds';
import type { RequestRow } from './request-store';

// The audit entries of identification: decisions by batch, termination notices, missed notices.

export const SYSTEM: AuditActor = { type: 'system' };
export const operatorActor = (id: string): AuditActor => ({ type: 'operator', id });

/** The operator every request went to, if they share one. */
export function sameOperator(reqs: readonly RequestRow[]): string | null {
  const first = reqs[0]?.operator_id ?? null;
  return reqs.every((r) => r.operator_id === first) ? first : null;
}

/** One audit entry for requests decided alike: the outcome, its reason, and which requests and accounts. */
export function decision(
  actor: AuditActor,
  outcome: 'confirmed' | 'denied' | 'failed',
  reason: string | null,
  operatorId: string | null,
  reqs: readonly Pick<RequestRow, 'request_id' | 'account_id' | 'operator_id'>[],
): AuditEntryInput {
  return {
    actor,
    kind: AuditKind.identificationDecided,
    subject: operatorId,
    payload: {
      outcome,
      reason,
      operatorId,
      count: reqs.length,
      requests: reqs.map((r) => ({ requestId: r.request_id, accountId: r.account_id, operatorId: r.operator_id })),
    },
  };
}

/**
 * A termination notice and the accounts it suspended. The number is not repeated: the audit log outlives the
 * retention of personal data.
 */
export function terminationNoticeEntry(
  operatorId: string,
  notice: ContractTerminatedNotice,
  terminatedAt: number,
  suspendedAccounts: string[],
): AuditEntryInput {
  return {
    actor: operatorActor(operatorId),
    kind: AuditKind.terminationNotice,
    subject: `${operatorId}/${notice.noticeId}`,
    payload: {
      operatorId,
      noticeId: notice.noticeId,
      reason: notice.reason,
      terminatedAt,
      userCodes: notice.userCodes.length,
      suspendedAccounts,
    },
  };
}

/** Accounts that reconciliation suspended because their termination notice never came (section 4.5). */
export function missedNoticesEntry(operatorId: string, changes: ReadonlyArray<{ accountId: string }>): AuditEntryInput {
  return {
    actor: SYSTEM,
    kind: AuditKind.identificationSuspended,
    subject: operatorId,
    payload: { operatorId, source: 'reconciliation', count: changes.length, accounts: changes.map((c) => c.accountId) },
  };
}
