import { type Clock, type Logger, sortableId } from '@signet/common';
import type {
  ContractTerminatedNotice,
  IdentificationReason,
  IdentificationResult,
  IdentificationStatus,
} from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { AccountRow } from '../accounts/account-store';
import { getAccount, recordAccountEvent, recordAccountEvents } from '../accounts/account-store';
import type { AccountNotifier } from '../accounts/notifier';
import type { AuditEntryInput, AuditLog } from '../audit/audit-log';
import type { IdentificationConfig, OperatorConfig } from '../config/config';
import type { Schema, ServerDatabase } from '../db';
import { notFound } from '../errors';
import type { Metrics } from '../metrics';
import {
  decision,
  missedNoticesEntry,
  operatorActor,
  SYSTEM,
  sameOperator,
  terminationNoticeEntry,
} from './audit-entries';
import type { OperatorDirectory } from './directory/directory';
import type { RequestRow } from './request-store';
import * as requests from './request-store';

export interface IdentificationDeps {
  db: ServerDatabase;
  clock: Clock;
  config: IdentificationConfig;
  directory: OperatorDirectory;
  notifier: AccountNotifier;
  metrics: Metrics;
  audit: AuditLog;
  log: Logger;
}

/** A change of an account's identification state, announced to its devices after the commit. */
export interface StateChange {
  accountId: string;
  state: AccountRow['state'];
  failure: string | null;
  deadlineAt: number | null;
}

/** A new request to record: for whom, why, to which operator (none: NO_OPERATOR). */
export interface NewRequest {
  account: Pick<AccountRow, 'id' | 'user_code' | 'phone_number'>;
  reason: IdentificationReason;
  operator: OperatorConfig | undefined;
  possessionVerifiedAt: number;
}

/** A result matched to the request it answers. */
interface Answer {
  req: RequestRow;
  result: IdentificationResult;
  decidedAt: number;
}

const OPEN_STATES = new Set<AccountRow['state']>(['unverified', 'pending', 'failed', 'suspended', 'identified']);

/**
 * The account lifecycle of identification: requests to operators, results, deadlines and
 * contract-termination notices (spec sections 4.1 to 4.4).
 */
export class IdentificationManager {
  /** Called after new requests are recorded, so that the sender batches and sends them soon. */
  onRequested: () => void = () => {};

  constructor(private readonly deps: IdentificationDeps) {}

  /** Which operator serves a number now. Look it up before opening a transaction. */
  route(phoneNumber: string): Promise<OperatorConfig | undefined> {
    return this.deps.directory.lookup(phoneNumber);
  }

  routeMany(phoneNumbers: string[]): Promise<(OperatorConfig | undefined)[]> {
    return this.deps.directory.lookupMany(phoneNumbers);
  }

  /**
   * Records a new identification request for the account inside the caller's transaction, durably
   * before anything is sent (section 4.1), and moves the account to `pending`, or to `failed` with
   * NO_OPERATOR when no operator serves the number.
   */
  async begin(
    tx: Kysely<Schema>,
    account: NewRequest['account'],
    reason: IdentificationReason,
    operator: OperatorConfig | undefined,
    possessionVerifiedAt: number,
  ): Promise<StateChange> {
    const [change] = await this.beginMany(tx, [{ account, reason, operator, possessionVerifiedAt }]);
    return change as StateChange;
  }

  /** As `begin`, for many accounts in a few statements (the backfill records a page at a time). */
  async beginMany(tx: Kysely<Schema>, items: readonly NewRequest[]): Promise<StateChange[]> {
    const now = this.deps.clock.now();
    const deadlineAt = now + this.deps.config.deadlineMs;
    const rows: RequestRow[] = items.map(({ account, reason, operator, possessionVerifiedAt }) => ({
      request_id: sortableId('idr', now),
      account_id: account.id,
      operator_id: operator?.id ?? null,
      user_code: account.user_code,
      phone_number: account.phone_number,
      reason,
      possession_verified_at: Math.min(possessionVerifiedAt, now),
      requested_at: now,
      deadline_at: deadlineAt,
      status: operator ? 'pending' : 'failed',
      failure: operator ? null : 'NO_OPERATOR',
      batch_id: null,
      accepted_at: null,
      decided_at: null,
      result_received_at: null,
      late_result: null,
      next_poll_at: null,
    }));
    await requests.insertRequests(tx, rows);
    const current = rows.map((r) => ({
      accountId: r.account_id,
      requestId: r.request_id,
      state: r.status === 'pending' ? ('pending' as const) : ('failed' as const),
      failure: r.failure,
    }));
    await requests.setCurrentRequests(tx, current);
    const unrouted = rows.filter((r) => r.status === 'failed');
    if (unrouted.length > 0) {
      this.deps.metrics.identificationOutcomes.inc({ outcome: 'NO_OPERATOR' }, unrouted.length);
      await recordAccountEvents(
        tx,
        unrouted.map((req) => ({
          account_id: req.account_id,
          type: 'identification.failed',
          at: now,
          detail: { requestId: req.request_id, failure: 'NO_OPERATOR' },
        })),
      );
      await this.deps.audit.append(tx, decision(SYSTEM, 'failed', 'NO_OPERATOR', null, unrouted));
    }
    return current.map((c) => ({
      accountId: c.accountId,
      state: c.state,
      failure: c.failure,
      deadlineAt: c.state === 'pending' ? deadlineAt : null,
    }));
  }

  /** Tells devices about committed changes and wakes the sender. */
  async announce(changes: StateChange[]): Promise<void> {
    const at = this.deps.clock.now();
    if (changes.some((c) => c.state === 'pending')) this.onRequested();
    for (const c of changes) {
      await this.deps.notifier.notify(c.accountId, {
        type: 'identification.changed',
        state: c.state,
        failure: c.failure,
        deadlineAt: c.deadlineAt,
        at,
      });
    }
  }

  /**
   * Applies the results of one `identification.completed` event inside the caller's transaction. Results
   * are sorted first and then applied together, a few statements for the whole event.
   */
  async applyResults(tx: Kysely<Schema>, operatorId: string, results: IdentificationResult[]): Promise<StateChange[]> {
    const now = this.deps.clock.now();
    // Locked (PostgreSQL) until the commit: the statuses read here decide what is written below.
    const lock = this.deps.db.dialect === 'postgres';
    const rows = new Map(
      (
        await requests.getRequests(
          tx,
          results.map((r) => r.requestId),
          lock,
        )
      ).map((r) => [r.request_id, r]),
    );
    const confirmed: Answer[] = [];
    const denied: Answer[] = [];
    const late: Answer[] = [];
    const seen = new Set<string>();
    let inTime = 0;
    for (const result of results) {
      const req = rows.get(result.requestId);
      if (
        !req ||
        req.operator_id !== operatorId ||
        req.user_code !== result.userCode ||
        req.phone_number !== result.phoneNumber
      ) {
        this.deps.log.warn({ operatorId, requestId: result.requestId }, 'result for no request of ours; ignored');
        continue;
      }
      // A request named twice in one event: the first answer is the one applied.
      if (seen.has(req.request_id)) continue;
      seen.add(req.request_id);
      const answer = { req, result, decidedAt: Date.parse(result.decidedAt) };
      if (req.status !== 'pending' || now > req.deadline_at) {
        // Late (or already settled): recorded for the operator's statistics, otherwise ignored (4.3).
        if (req.late_result === null && (req.failure === 'DEADLINE_EXCEEDED' || req.status === 'pending')) {
          late.push(answer);
        }
        continue;
      }
      this.deps.metrics.operatorAnswerSeconds.observe(
        { operator: operatorId },
        Math.max(0, answer.decidedAt - req.requested_at) / 1000,
      );
      inTime++;
      (result.result === 'confirmed' ? confirmed : denied).push(answer);
    }
    if (inTime > 0) this.deps.metrics.operatorAnswers.inc({ operator: operatorId, in_time: 'true' }, inTime);
    const audit: AuditEntryInput[] = [];
    const changes = await this.recordLate(tx, operatorId, late, now, audit);
    changes.push(...(await this.confirm(tx, operatorId, confirmed, now)));
    if (confirmed.length > 0) {
      audit.push(
        decision(
          operatorActor(operatorId),
          'confirmed',
          null,
          operatorId,
          confirmed.map((a) => a.req),
        ),
      );
    }
    for (const [reason, answers] of groupBy(denied, (a) => a.result.reasonCode ?? 'SUBSCRIBER_NOT_FOUND')) {
      await this.settleDecided(tx, answers, now);
      const reqs = answers.map((a) => a.req);
      changes.push(...(await this.failRequests(tx, reqs, reason, now, 'denied')));
      audit.push(decision(operatorActor(operatorId), 'denied', reason, operatorId, reqs));
    }
    // Last in the transaction: the append holds the audit head until the commit.
    await this.deps.audit.append(tx, audit);
    return changes;
  }

  /** Records answers that came after the deadline; a request still pending fails now. */
  private async recordLate(
    tx: Kysely<Schema>,
    operator: string,
    late: Answer[],
    now: number,
    audit: AuditEntryInput[],
  ): Promise<StateChange[]> {
    for (const { req, result, decidedAt } of late) {
      await requests.settleRequest(
        tx,
        req.request_id,
        { late_result: result.result, result_received_at: now, decided_at: decidedAt },
        false,
      );
    }
    if (late.length > 0) {
      this.deps.metrics.lateAnswers.inc({ operator }, late.length);
      this.deps.metrics.operatorAnswers.inc({ operator, in_time: 'false' }, late.length);
    }
    const pending = late.map((a) => a.req).filter((r) => r.status === 'pending');
    if (pending.length > 0) audit.push(decision(SYSTEM, 'failed', 'DEADLINE_EXCEEDED', operator, pending));
    return this.failRequests(tx, pending, 'DEADLINE_EXCEEDED', now, 'failed');
  }

  private async confirm(tx: Kysely<Schema>, operator: string, answers: Answer[], now: number): Promise<StateChange[]> {
    if (answers.length === 0) return [];
    await this.settleDecided(tx, answers, now, 'confirmed');
    this.deps.metrics.identificationOutcomes.inc({ outcome: 'confirmed' }, answers.length);
    await recordAccountEvents(
      tx,
      answers.map(({ req }) => ({
        account_id: req.account_id,
        type: 'identification.confirmed',
        at: now,
        detail: { requestId: req.request_id, operatorId: operator },
      })),
    );
    const identified = await requests.settleAccounts(
      tx,
      answers.map((a) => a.req),
      { state: 'identified', identified_at: now, identification_failure: null, suspended_reason: null },
    );
    return identified.map((accountId) => ({ accountId, state: 'identified', failure: null, deadlineAt: null }));
  }

  /** Records when each answer was decided and received: one statement for the answers decided at the same time. */
  private async settleDecided(tx: Kysely<Schema>, answers: Answer[], now: number, status?: 'confirmed') {
    for (const [decidedAt, group] of groupBy(answers, (a) => a.decidedAt)) {
      await requests.settleRequests(
        tx,
        group.map((a) => a.req.request_id),
        { ...(status ? { status } : {}), decided_at: decidedAt, result_received_at: now },
      );
    }
  }

  /** Fails a request, and its account if the request is the account's current one. */
  async fail(
    tx: Kysely<Schema>,
    req: RequestRow,
    failure: string,
    now: number,
    status: 'failed' | 'denied' = 'failed',
  ): Promise<StateChange | undefined> {
    return (await this.failMany(tx, [req], failure, now, status))[0];
  }

  /**
   * As `fail`, for many requests that fail for the same reason, audited as a decision of the system. Call it
   * last in the transaction (the audit append holds the head until the commit).
   */
  async failMany(
    tx: Kysely<Schema>,
    reqs: readonly RequestRow[],
    failure: string,
    now: number,
    status: 'failed' | 'denied' = 'failed',
  ): Promise<StateChange[]> {
    const changes = await this.failRequests(tx, reqs, failure, now, status);
    if (reqs.length > 0) {
      await this.deps.audit.append(tx, decision(SYSTEM, status, failure, sameOperator(reqs), reqs));
    }
    return changes;
  }

  private async failRequests(
    tx: Kysely<Schema>,
    reqs: readonly RequestRow[],
    failure: string,
    now: number,
    status: 'failed' | 'denied',
  ): Promise<StateChange[]> {
    if (reqs.length === 0) return [];
    await requests.settleRequests(
      tx,
      reqs.map((r) => r.request_id),
      { status, failure },
    );
    this.deps.metrics.identificationOutcomes.inc({ outcome: failure }, reqs.length);
    await recordAccountEvents(
      tx,
      reqs.map((req) => ({
        account_id: req.account_id,
        type: 'identification.failed',
        at: now,
        detail: { requestId: req.request_id, failure },
      })),
    );
    const failed = await requests.settleAccounts(tx, reqs, { state: 'failed', identification_failure: failure });
    return failed.map((accountId) => ({ accountId, state: 'failed', failure, deadlineAt: null }));
  }

  /** Fails every pending request past its deadline (4.3). Runs every second. */
  async expireDeadlines(): Promise<number> {
    const now = this.deps.clock.now();
    const overdue = await requests.overdueRequests(this.deps.db.db, now, 1000);
    if (overdue.length === 0) return 0;
    const changes = await this.deps.db.transaction((tx) => this.failMany(tx, overdue, 'DEADLINE_EXCEEDED', now));
    await this.announce(changes);
    return overdue.length;
  }

  /**
   * Applies contract-termination notices (4.4) inside the caller's transaction: every named account is
   * suspended before the answer. A notice older than the account's latest confirmation is stale.
   */
  async applyNotices(
    tx: Kysely<Schema>,
    operatorId: string,
    notices: ContractTerminatedNotice[],
  ): Promise<StateChange[]> {
    const now = this.deps.clock.now();
    const changes: StateChange[] = [];
    const audit: AuditEntryInput[] = [];
    for (const notice of notices) {
      const terminatedAt = Date.parse(notice.terminatedAt);
      const inserted = await tx
        .insertInto('termination_notices')
        .values({
          operator_id: operatorId,
          notice_id: notice.noticeId,
          phone_number: notice.phoneNumber,
          reason: notice.reason,
          user_codes: JSON.stringify(notice.userCodes),
          terminated_at: terminatedAt,
          received_at: now,
          accounts_suspended: 0,
        })
        .onConflict((oc) => oc.columns(['operator_id', 'notice_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) continue;
      this.deps.metrics.terminationNotices.inc({ operator: operatorId });
      const suspended: string[] = [];
      for (const userCode of notice.userCodes) {
        const change = await this.suspend(tx, userCode, notice.reason, terminatedAt, now);
        if (change) {
          changes.push(change);
          suspended.push(change.accountId);
        }
      }
      await tx
        .updateTable('termination_notices')
        .set({ accounts_suspended: suspended.length })
        .where('operator_id', '=', operatorId)
        .where('notice_id', '=', notice.noticeId)
        .execute();
      audit.push(terminationNoticeEntry(operatorId, notice, terminatedAt, suspended));
    }
    await this.deps.audit.append(tx, audit);
    return changes;
  }

  /**
   * Audits suspensions that reconciliation made for notices that never came (section 4.5), in the
   * reconciliation's transaction, after its other writes.
   */
  async auditMissedNotices(tx: Kysely<Schema>, operatorId: string, changes: readonly StateChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.deps.audit.append(tx, missedNoticesEntry(operatorId, changes));
  }

  /** Suspends the account with this user code, unless a newer identification supersedes the termination. */
  async suspend(
    tx: Kysely<Schema>,
    userCode: string,
    reason: string,
    terminatedAt: number,
    now: number,
  ): Promise<StateChange | undefined> {
    const account = await tx.selectFrom('accounts').selectAll().where('user_code', '=', userCode).executeTakeFirst();
    if (!account || !OPEN_STATES.has(account.state) || account.state === 'suspended') return undefined;
    if (account.identified_at !== null && account.identified_at > terminatedAt) return undefined;
    if (account.state === 'pending' && account.identification_request_id) {
      const current = await requests.getRequest(tx, account.identification_request_id);
      if (current && current.requested_at > terminatedAt) return undefined;
    }
    await tx
      .updateTable('accounts')
      .set({ state: 'suspended', suspended_reason: reason })
      .where('id', '=', account.id)
      .execute();
    await recordAccountEvent(tx, { account_id: account.id, type: 'account.suspended', at: now, detail: { reason } });
    return { accountId: account.id, state: 'suspended', failure: null, deadlineAt: null };
  }

  async status(accountId: string): Promise<IdentificationStatus> {
    const account = await getAccount(this.deps.db.db, accountId);
    if (!account) throw notFound('no such account');
    const attempts = await requests.requestsOfAccount(this.deps.db.db, accountId);
    const current = attempts.find((a) => a.request_id === account.identification_request_id);
    return {
      state: account.state,
      deadlineAt: account.state === 'pending' ? (current?.deadline_at ?? null) : null,
      failure: account.state === 'failed' ? account.identification_failure : null,
      suspendedReason: account.state === 'suspended' ? account.suspended_reason : null,
      identifiedAt: account.identified_at,
      hint: hintFor(account),
      attempts: attempts.map((a) => ({
        requestId: a.request_id,
        reason: a.reason,
        operatorId: a.operator_id,
        status: a.status,
        failure: a.failure,
        requestedAt: a.requested_at,
        deadlineAt: a.deadline_at,
        decidedAt: a.decided_at,
      })),
    };
  }
}

function groupBy<K, T>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

const FAILURE_HINTS: Record<string, string> = {
  SUBSCRIBER_NOT_FOUND: 'your operator has no subscriber with this number; check the number or contact your operator',
  NUMBER_NOT_SERVED: 'this operator no longer serves your number (ported away?); try again to ask the current operator',
  SUBSCRIBER_DATA_MISSING:
    'your contract lacks the identity data the law requires; update it with your operator, then try again',
  DEADLINE_EXCEEDED: 'your operator did not answer within 20 minutes; try again',
  NO_OPERATOR: 'no operator we work with serves this number',
  REJECTED: 'the operator refused the request; try again later',
};

function hintFor(account: AccountRow): string {
  switch (account.state) {
    case 'identified':
      return 'identified: you can send and receive messages';
    case 'pending':
      return 'your operator is being asked to confirm you';
    case 'unverified':
      return 'not identified yet; identification will be requested';
    case 'suspended':
      return 'your operator reported that the contract for this number ended; verify the number again to re-identify';
    case 'retired':
      return 'this account was closed';
    case 'failed':
      return FAILURE_HINTS[account.identification_failure ?? ''] ?? 'identification failed; try again';
  }
}
