import { type Clock, type Logger, randomId } from '@signet/common';
import {
  type ContractTerminated,
  type ContractTerminatedNotice,
  type IdentificationCompleted,
  type IdentificationResult,
  MAX_BATCH,
} from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { OperatorDatabase, OperatorSchema } from '../db';
import type { RequestRow } from '../identification/request-store';
import type { NoticeRow } from '../notices/notice-store';
import { formatInstant } from '../time';
import { insertEvent, unsentNoticeGroups, unsentResultGroups } from './outbox-store';

type Db = Kysely<OperatorSchema>;

/**
 * Packs decided results and queued notices into events of at most 1000 items per messenger. Items wait up
 * to the linger for company; a full batch goes at once. The event row and the items' link to it commit
 * together, so every item is carried by exactly one event.
 */
export class Composer {
  constructor(
    private readonly deps: { db: OperatorDatabase; clock: Clock; log: Logger; operatorId: string; lingerMs: number },
  ) {}

  /** Creates every event that is due; returns their ids. */
  async composeDue(): Promise<string[]> {
    const created: string[] = [];
    const db = this.deps.db.db;
    for (const g of await unsentResultGroups(db)) {
      await this.drain(g, created, (tx, m) => this.resultsEvent(tx, m));
    }
    for (const g of await unsentNoticeGroups(db)) {
      await this.drain(g, created, (tx, m) => this.noticesEvent(tx, m));
    }
    return created;
  }

  private async drain(
    group: { messenger_id: string; n: number; oldest: number },
    created: string[],
    compose: (tx: Db, messengerId: string) => Promise<string | undefined>,
  ): Promise<void> {
    let left = group.n;
    // A partial batch waits for the linger, counted from its oldest item; full batches never wait.
    const lingered = group.oldest + this.deps.lingerMs <= this.deps.clock.now();
    while (left >= MAX_BATCH || (left > 0 && lingered)) {
      const id = await this.deps.db.transaction((tx) => compose(tx, group.messenger_id));
      if (!id) return;
      created.push(id);
      left -= MAX_BATCH;
    }
  }

  private async resultsEvent(tx: Db, messengerId: string): Promise<string | undefined> {
    let q = tx
      .selectFrom('identification_requests')
      .selectAll()
      .where('messenger_id', '=', messengerId)
      .where('decided_at', 'is not', null)
      .where('event_id', 'is', null)
      .orderBy('decided_at')
      .orderBy('request_id')
      .limit(MAX_BATCH);
    if (this.lock) q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    if (rows.length === 0) return undefined;
    const body: IdentificationCompleted = {
      type: 'identification.completed',
      operatorId: this.deps.operatorId,
      results: rows.map(toResult),
    };
    const id = await this.store(tx, messengerId, body.type, body, rows.length);
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .updateTable('identification_requests')
        .set({ event_id: id })
        .where('messenger_id', '=', messengerId)
        .where(
          'request_id',
          'in',
          rows.slice(i, i + 500).map((r) => r.request_id),
        )
        .execute();
    }
    return id;
  }

  private async noticesEvent(tx: Db, messengerId: string): Promise<string | undefined> {
    let q = tx
      .selectFrom('termination_notices')
      .selectAll()
      .where('messenger_id', '=', messengerId)
      .where('event_id', 'is', null)
      .orderBy('terminated_at')
      .orderBy('notice_id')
      .limit(MAX_BATCH);
    if (this.lock) q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    if (rows.length === 0) return undefined;
    const body: ContractTerminated = {
      type: 'subscriber.contract_terminated',
      operatorId: this.deps.operatorId,
      notices: rows.map(toNotice),
    };
    const id = await this.store(tx, messengerId, body.type, body, rows.length);
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .updateTable('termination_notices')
        .set({ event_id: id })
        .where(
          'notice_id',
          'in',
          rows.slice(i, i + 500).map((r) => r.notice_id),
        )
        .execute();
    }
    return id;
  }

  private async store(tx: Db, messengerId: string, type: string, body: unknown, count: number): Promise<string> {
    const id = randomId('evt');
    const now = this.deps.clock.now();
    // The body is serialised once and kept: every retry sends these very bytes (4.2).
    await insertEvent(tx, {
      id,
      messenger_id: messengerId,
      type,
      body: JSON.stringify(body),
      item_count: count,
      created_at: now,
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      last_attempt_at: null,
      last_status: null,
      last_error: null,
      delivered_at: null,
    });
    this.deps.log.debug({ eventId: id, messengerId, type, items: count }, 'event composed');
    return id;
  }

  private get lock(): boolean {
    return this.deps.db.dialect === 'postgres';
  }
}

export function toResult(row: RequestRow): IdentificationResult {
  const who = { requestId: row.request_id, userCode: row.user_code, phoneNumber: row.phone_number };
  const decidedAt = formatInstant(row.decided_at ?? 0);
  return row.result === 'confirmed'
    ? { ...who, result: 'confirmed', reasonCode: null, decidedAt }
    : { ...who, result: 'denied', reasonCode: row.reason_code ?? 'SUBSCRIBER_NOT_FOUND', decidedAt };
}

function toNotice(row: NoticeRow): ContractTerminatedNotice {
  return {
    noticeId: row.notice_id,
    phoneNumber: row.phone_number,
    userCodes: JSON.parse(row.user_codes) as string[],
    reason: row.reason,
    terminatedAt: formatInstant(row.terminated_at),
  };
}
