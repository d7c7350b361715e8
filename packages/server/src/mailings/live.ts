import type { Logger } from '@signet/common';
import {
  type AccountState,
  audienceIncludes,
  type Notice,
  type NoticeAudience,
  type NoticeFrame,
  type NoticeWithdrawnFrame,
} from '@signet/protocol';
import { WebSocket } from 'ws';
import { getAccount } from '../accounts/account-store';
import { type AccountTopicMessage, accountTopic } from '../accounts/notifier';
import type { Broker } from '../adapters/broker/broker';
import type { ServerDatabase } from '../db';
import type { DeliveredCursors } from './cursors';

/** The one broker topic of every mailing: each node receives a mailing once, whatever its audience. */
export const NOTICES_TOPIC = 'notices';

/** What travels on the topic: a new notice, or one withdrawn (with what decides who had it). */
export type NoticeTopicMessage =
  | { type: 'notice'; notice: Notice }
  | { type: 'notice.withdrawn'; noticeId: number; audience: NoticeAudience; sentAt: number };

/** Connections served per turn of the event loop, so that a large fan-out does not hold it long. */
const SLICE = 2000;
/** A connection this far behind skips live notices; its client catches up with `GET /v1/notices`. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

interface Listener {
  accountId: string;
  ws: WebSocket;
  state: AccountState;
  /** Unknown until the account is read, just after the connection opens. */
  phoneNumber: string | null;
  createdAt: number;
}

/**
 * Live push of official notices. Unlike channel posts, a mailing has no list of recipients to subscribe: its
 * audience is a rule over phone numbers. So each node subscribes once to one topic, keeps its connections with
 * their account's number, and on each mailing serialises the frame once and writes it to every connection
 * whose account is identified, existed when the mailing was sent, and whose number is in the audience. The
 * cost is one broker message per node and one comparison per connection; accounts that are offline cost
 * nothing and read the notice later.
 */
export class NoticeLive {
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscription: (() => void) | undefined;

  constructor(
    private readonly db: ServerDatabase,
    private readonly broker: Broker,
    private readonly cursors: DeliveredCursors,
    private readonly log: Logger,
  ) {}

  publish(message: NoticeTopicMessage): Promise<void> {
    return this.broker.publish(NOTICES_TOPIC, message);
  }

  /** Feeds one device connection the notices for its account; answers the function that ends it. */
  attach(account: { accountId: string; state: AccountState }, ws: WebSocket): () => void {
    this.subscription ??= this.broker.subscribe(NOTICES_TOPIC, (payload) => this.fanOut(payload as NoticeTopicMessage));
    const listener: Listener = {
      accountId: account.accountId,
      ws,
      state: account.state,
      phoneNumber: null,
      createdAt: Number.POSITIVE_INFINITY,
    };
    let set = this.listeners.get(account.accountId);
    if (!set) {
      set = new Set();
      this.listeners.set(account.accountId, set);
    }
    set.add(listener);
    const stop = this.broker.subscribe(accountTopic(account.accountId), (payload) => {
      const { event } = payload as AccountTopicMessage;
      if (event.type === 'identification.changed') listener.state = event.state;
    });
    // An account's number never changes (a new holder of a number gets a new account), so it is read once.
    getAccount(this.db.db, account.accountId).then(
      (row) => {
        if (!row) return;
        listener.phoneNumber = row.phone_number;
        listener.createdAt = Number(row.created_at);
      },
      (error: unknown) => this.log.warn({ err: error, accountId: account.accountId }, 'reading the account failed'),
    );
    return () => {
      stop();
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(account.accountId) === set) this.listeners.delete(account.accountId);
    };
  }

  /** A device of the account says that every notice up to `upTo` reached it. */
  acknowledge(accountId: string, upTo: number): void {
    const identified = [...(this.listeners.get(accountId) ?? [])].some((l) => l.state === 'identified');
    if (identified) this.cursors.note(accountId, upTo);
  }

  /** How many connections this node feeds. */
  get connections(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  close(): void {
    this.subscription?.();
    this.subscription = undefined;
  }

  private fanOut(message: NoticeTopicMessage): void {
    const frame: NoticeFrame | NoticeWithdrawnFrame =
      message.type === 'notice'
        ? { type: 'notice', notice: message.notice }
        : { type: 'notice.withdrawn', noticeId: message.noticeId };
    const audience = message.type === 'notice' ? message.notice.notice.audience : message.audience;
    const sentAt = message.type === 'notice' ? message.notice.sentAt : message.sentAt;
    const data = Buffer.from(JSON.stringify(frame));
    const targets: Listener[] = [];
    for (const set of this.listeners.values()) for (const l of set) targets.push(l);
    let i = 0;
    const step = () => {
      const end = Math.min(targets.length, i + SLICE);
      for (; i < end; i++) {
        const l = targets[i] as Listener;
        if (
          l.state === 'identified' &&
          l.phoneNumber !== null &&
          l.createdAt <= sentAt &&
          audienceIncludes(audience, l.phoneNumber) &&
          l.ws.readyState === WebSocket.OPEN &&
          l.ws.bufferedAmount < HIGH_WATER_BYTES
        ) {
          l.ws.send(data, { binary: false });
        }
      }
      if (i < targets.length) setImmediate(step);
    };
    // After the current turn: the publisher's answer goes out first.
    setImmediate(step);
  }
}
