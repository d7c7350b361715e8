import type { Clock } from '@signet/common';
import {
  audienceIncludes,
  type Notice,
  type NoticeAuthority,
  type NoticePage,
  type NoticeState,
} from '@signet/protocol';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import { getAccount } from '../accounts/account-store';
import { getAuthority } from '../authority/authority-store';
import { storedRoles } from '../authority/roles';
import type { ServerDatabase } from '../db';
import { ApiError, notFound } from '../errors';
import type { IdentificationGate } from '../identification/gate';
import * as store from './mailing-store';
import { noticeView } from './views';

/** Mailings read per query while looking for an account's notices. */
const SCAN = 200;
/** Unread notices are counted up to this many. */
export const MAX_UNREAD = 1000;

/**
 * The "Official notices" conversation of an account: fan-out on read. The mailings are read in order and kept
 * when the account's number is in their audience and the account existed when they were sent (a new account
 * does not inherit past notices: they were addressed to the users of their time, and each mailing's audience
 * is fixed when it is sent, so that its counts mean something). Only identified accounts receive notices.
 */
export class NoticeFeed {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly gate: IdentificationGate,
  ) {}

  /** Notices after the cursor, oldest first; the account's delivered cursor moves past what this page read. */
  async page(auth: AuthenticatedDevice, afterText?: string, limitText?: string): Promise<NoticePage> {
    const account = await this.reader(auth);
    const limit = Math.min(Math.max(Number(limitText ?? 50), 1), 200);
    const { notices, scannedTo, complete } = await this.scan(account, Number(afterText ?? 0), limit);
    if (scannedTo > 0) {
      await store.advanceCursors(
        this.db.db,
        [{ accountId: auth.accountId, delivered: scannedTo, read: 0 }],
        this.clock.now(),
      );
    }
    const last = notices[notices.length - 1];
    return {
      notices,
      nextCursor: complete || !last ? null : String(last.noticeId),
      state: await this.stateOf(account),
    };
  }

  async state(auth: AuthenticatedDevice): Promise<NoticeState> {
    return this.stateOf(await this.reader(auth));
  }

  /** Marks every notice up to `upTo` read (and so delivered); the cursor never moves back or past the newest. */
  async markRead(auth: AuthenticatedDevice, upTo: number): Promise<void> {
    await this.reader(auth);
    const read = Math.min(upTo, await store.newestMailingId(this.db.db));
    if (read <= 0) return;
    await store.advanceCursors(this.db.db, [{ accountId: auth.accountId, delivered: read, read }], this.clock.now());
  }

  /** Muted notices still arrive and count; clients show them without alerting. Any account may mute. */
  async mute(auth: AuthenticatedDevice, muted: boolean): Promise<void> {
    await store.setMuted(this.db.db, auth.accountId, muted, this.clock.now());
  }

  /** An authority that sends notices, so that a client can check signatures it holds. */
  async authority(authorityId: string): Promise<NoticeAuthority> {
    const row = await getAuthority(this.db.db, authorityId);
    // Authorities that never mail stay unlisted here: who holds which role is not the users' business.
    if (
      !row ||
      (!storedRoles(row.roles).includes('mailing') && !(await store.authorityHasMailings(this.db.db, authorityId)))
    ) {
      throw notFound(`no authority ${authorityId} sends notices`);
    }
    return { authorityId: row.id, name: row.name, publicKey: row.public_key, disabled: row.disabled_at !== null };
  }

  private async reader(auth: AuthenticatedDevice): Promise<Reader> {
    const row = await getAccount(this.db.db, auth.accountId);
    if (!row || !(await this.gate.isIdentified(auth.accountId))) {
      throw new ApiError(
        403,
        'NOT_IDENTIFIED',
        'your account is not identified, so it cannot receive official notices',
      );
    }
    return { accountId: row.id, phoneNumber: row.phone_number, createdAt: Number(row.created_at) };
  }

  private async stateOf(account: Reader): Promise<NoticeState> {
    const row = await store.getNoticeState(this.db.db, account.accountId);
    const readUpTo = Number(row?.read_up_to ?? 0);
    const unread = await this.scan(account, readUpTo, MAX_UNREAD);
    return {
      deliveredUpTo: Number(row?.delivered_up_to ?? 0),
      readUpTo,
      muted: Number(row?.muted ?? 0) === 1,
      unread: unread.notices.length,
    };
  }

  /** Up to `limit` of the account's notices after `after`, and how far the mailings were read. */
  private async scan(account: Reader, after: number, limit: number) {
    const notices: Notice[] = [];
    let cursor = after;
    let scannedTo = 0;
    for (;;) {
      const rows = await store.activeMailingsAfter(this.db.db, cursor, account.createdAt, SCAN);
      for (const row of rows) {
        const id = Number(row.id);
        cursor = id;
        scannedTo = id;
        if (!audienceIncludes(JSON.parse(row.audience), account.phoneNumber)) continue;
        notices.push(noticeView(row));
        if (notices.length === limit) return { notices, scannedTo, complete: false };
      }
      if (rows.length < SCAN) return { notices, scannedTo, complete: true };
    }
  }
}

interface Reader {
  accountId: string;
  phoneNumber: string;
  createdAt: number;
}
