import { type Clock, HOUR, type Logger, sortableId } from '@signet/common';
import type {
  AccountEvent,
  AccountRestrictionList,
  CreateRestrictionOrder,
  RestrictionOrder,
  RestrictionOrderList,
  RestrictionOrdersQuery,
  RestrictionOrderWithTrail,
} from '@signet/protocol';
import type { AccountNotifier } from '../accounts/notifier';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import { AuditKind } from '../audit/kinds';
import type { AuthenticatedAuthority } from '../authority/request-auth';
import type { ChannelRestrictions } from '../channels/restrictions';
import type { ServerDatabase } from '../db';
import { conflict, invalidArgument, notFound } from '../errors';
import { type Applied, OrderEffects } from './effects';
import { parseOrder } from './order-input';
import * as store from './restriction-store';
import { accountRestrictionView, auditEntryView, orderView } from './views';

export interface RestrictionOrderDeps {
  db: ServerDatabase;
  clock: Clock;
  audit: AuditLog;
  channels: ChannelRestrictions;
  notifier: AccountNotifier;
  log: Logger;
}

const LIST_DEFAULT = 50;
const LIST_MAX = 200;
const EXPIRY_BATCH = 100;
const NOTICES_MAX = 100;
/** Posts racing an order's issue are inserted within moments of it; an hour of rescans covers a late janitor. */
const RESCAN_WINDOW = HOUR;

/**
 * Restriction orders (issue #6): issued by an authority with the `restriction` role, with a legal basis, applied
 * in the transaction that stores them, revoked by their authority or expired by the janitor; every step is in
 * the audit log with the order as its subject. The affected user is told what was restricted and on what basis
 * (live, and in `GET /v1/account/restrictions`), unless the order withholds notice on a legal ground, which is
 * audited. No order reads or touches end-to-end encrypted content: private chats are restricted per account.
 */
export class RestrictionOrders {
  private readonly effects: OrderEffects;

  constructor(private readonly deps: RestrictionOrderDeps) {
    this.effects = new OrderEffects(deps.channels, deps.clock);
  }

  async issue(authority: AuthenticatedAuthority, input: CreateRestrictionOrder): Promise<RestrictionOrder> {
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    const order = parseOrder(input, now);
    const row: store.OrderRow = {
      id: sortableId('ro', now, 12),
      authority_id: authority.authorityId,
      legal_reference: order.legalBasis.reference,
      legal_text: order.legalBasis.text,
      target_type: order.target.type,
      target: order.targetKey,
      action: order.action,
      status: 'active',
      notice_withheld: order.notice.withheld ? 1 : 0,
      withheld_ground: order.notice.legalGround,
      issued_at: now,
      expires_at: order.expiresAt,
      ended_at: null,
      ended_by: null,
      end_reason: null,
      posts_restricted: 0,
    };
    const applied = await db.transaction(async (tx) => {
      await store.insertOrder(tx, row);
      const applied = await this.effects.apply(tx, row);
      row.posts_restricted = applied.removed.length;
      await store.addPostsRestricted(tx, row.id, row.posts_restricted);
      const told = await this.recordNotices(tx, row, applied, now);
      await audit.append(tx, {
        actor: { type: 'authority', id: authority.authorityId },
        kind: AuditKind.restrictionIssued,
        subject: row.id,
        payload: {
          orderId: row.id,
          authorityName: authority.name,
          legalBasis: order.legalBasis,
          target: order.target,
          action: order.action,
          expiresAt: order.expiresAt,
          notice: order.notice.withheld
            ? { withheld: true, legalGround: order.notice.legalGround }
            : { withheld: false, accountsNotified: told },
          postsRestricted: row.posts_restricted,
        },
      });
      return applied;
    });
    await this.announce(row, applied);
    this.deps.log.info(
      { orderId: row.id, authorityId: authority.authorityId, target: row.target_type, withheld: order.notice.withheld },
      'restriction order issued',
    );
    return orderView(row);
  }

  /** Revokes an active order of this authority's; what it restricted is restored at once. */
  async revoke(authority: AuthenticatedAuthority, orderId: string, reason: string): Promise<RestrictionOrder> {
    const why = reason.trim();
    if (why === '') throw invalidArgument('reason must not be blank: say why the order is revoked');
    const order = await this.own(authority, orderId);
    if (order.status !== 'active') throw conflict(`the order ${orderId} is ${order.status} already`);
    const ended = await this.end(order, {
      status: 'revoked',
      actor: { type: 'authority', id: authority.authorityId },
      reason: why,
      payload: { reason: why, authorityName: authority.name },
    });
    if (!ended) throw conflict(`the order ${orderId} ended meanwhile`);
    return orderView(ended);
  }

  async list(authority: AuthenticatedAuthority, query: RestrictionOrdersQuery): Promise<RestrictionOrderList> {
    const limit = query.limit === undefined ? LIST_DEFAULT : Math.min(Math.max(Number(query.limit), 1), LIST_MAX);
    const rows = await store.listOrders(this.deps.db.db, {
      authorityId: authority.authorityId,
      status: query.status,
      before: query.before,
      limit: limit + 1,
    });
    const orders = rows.slice(0, limit).map(orderView);
    return { orders, nextCursor: rows.length > limit ? (orders.at(-1)?.orderId ?? null) : null };
  }

  /** An order of this authority's with its audit trail: every entry whose subject it is. */
  async get(authority: AuthenticatedAuthority, orderId: string): Promise<RestrictionOrderWithTrail> {
    const order = await this.own(authority, orderId);
    const trail = await store.trailOf(this.deps.db.db, orderId);
    return { ...orderView(order), auditTrail: trail.map(auditEntryView) };
  }

  /** The orders an account was told of, newest first. */
  async noticesFor(accountId: string): Promise<AccountRestrictionList> {
    const rows = await store.noticesOf(this.deps.db.db, accountId, NOTICES_MAX);
    return { restrictions: rows.map(accountRestrictionView) };
  }

  isReachLimited(accountId: string): Promise<boolean> {
    return store.isReachLimited(this.deps.db.db, accountId, this.deps.clock.now());
  }

  /**
   * The janitor's step: expires orders past their time (lifting what they restricted), and has recent fingerprint
   * orders hide matching posts that slipped in: a post checked just before the order was stored and inserted
   * just after (on another node, say). Every change is a conditional update, so that several nodes sweeping at
   * once change each thing once.
   */
  async sweep(): Promise<void> {
    const { db, clock } = this.deps;
    for (const order of await store.dueExpiries(db.db, clock.now(), EXPIRY_BATCH)) {
      await this.end(order, {
        status: 'expired',
        actor: { type: 'system' },
        reason: null,
        payload: { expiresAt: order.expires_at },
      });
    }
    const since = clock.now() - RESCAN_WINDOW;
    for (const order of await store.fingerprintOrdersInForce(db.db, clock.now(), since)) {
      const now = clock.now();
      const applied = await db.transaction(async (tx) => {
        // Held until the commit, so that a revocation or expiry meanwhile waits for this rescan or comes first.
        if (!(await store.lockActiveOrder(tx, order.id, db.dialect === 'postgres')))
          return { affected: [], removed: [] };
        const applied = await this.effects.rescan(tx, order);
        if (applied.removed.length === 0) return applied;
        await store.addPostsRestricted(tx, order.id, applied.removed.length);
        const told = await this.recordNotices(tx, order, applied, now);
        await this.deps.audit.append(tx, {
          actor: { type: 'system' },
          kind: AuditKind.restrictionApplied,
          subject: order.id,
          payload: {
            orderId: order.id,
            targetType: order.target_type,
            postsRestricted: applied.removed.length,
            accountsNotified: told,
          },
        });
        return applied;
      });
      await this.announce(order, applied);
    }
  }

  private async own(authority: AuthenticatedAuthority, orderId: string): Promise<store.OrderRow> {
    const order = await store.getOrder(this.deps.db.db, orderId);
    // Another authority's orders are not disclosed, not even their existence.
    if (!order || order.authority_id !== authority.authorityId) throw notFound(`no order ${orderId} of yours`);
    return order;
  }

  /** Ends an active order, lifts its effect and audits it, in one transaction; then tells those told of it. */
  private async end(
    order: store.OrderRow,
    end: {
      status: 'revoked' | 'expired';
      actor: AuditActor;
      reason: string | null;
      payload: Record<string, unknown>;
    },
  ): Promise<store.OrderRow | undefined> {
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    const by = end.actor.type === 'system' ? 'system' : end.actor.id;
    const result = await db.transaction(async (tx) => {
      if (!(await store.endOrder(tx, order.id, { status: end.status, at: now, by, reason: end.reason }))) {
        return undefined;
      }
      await this.effects.lift(tx, order);
      const told = await store.noticedAccounts(tx, order.id);
      const row = await store.getOrder(tx, order.id);
      await audit.append(tx, {
        actor: end.actor,
        kind: end.status === 'revoked' ? AuditKind.restrictionRevoked : AuditKind.restrictionExpired,
        subject: order.id,
        payload: { orderId: order.id, targetType: order.target_type, accountsNotified: told.length, ...end.payload },
      });
      return { told, row };
    });
    if (!result) return undefined;
    const event: AccountEvent = {
      type: 'restriction.lifted',
      orderId: order.id,
      targetType: order.target_type,
      outcome: end.status,
      legalReference: order.legal_reference,
      at: now,
    };
    for (const accountId of result.told) await this.notify(accountId, event);
    this.deps.log.info({ orderId: order.id, outcome: end.status }, 'restriction order ended');
    return result.row;
  }

  /** Stores the notices of what was applied (none when notice is withheld); answers how many accounts. */
  private async recordNotices(
    tx: Parameters<typeof store.insertNotices>[0],
    order: store.OrderRow,
    applied: Applied,
    now: number,
  ): Promise<number> {
    if (Number(order.notice_withheld) === 1) return 0;
    await store.insertNotices(
      tx,
      applied.affected.map((a) => ({
        order_id: order.id,
        account_id: a.accountId,
        restricted: JSON.stringify(a.restricted),
        notified_at: now,
      })),
    );
    return new Set(applied.affected.map((a) => a.accountId)).size;
  }

  /** After the commit: hidden posts leave followers' screens, and the affected users are told (unless withheld). */
  private async announce(order: store.OrderRow, applied: Applied): Promise<void> {
    for (const p of applied.removed) await this.deps.channels.announceRemoved(p.channelId, p.postId);
    if (Number(order.notice_withheld) === 1) return;
    for (const a of applied.affected) {
      await this.notify(a.accountId, {
        type: 'restriction.applied',
        orderId: order.id,
        restricted: a.restricted,
        action: orderView(order).action,
        legalBasis: { reference: order.legal_reference, text: order.legal_text },
        expiresAt: order.expires_at === null ? null : Number(order.expires_at),
        at: this.deps.clock.now(),
      });
    }
  }

  /** Notices are stored first; a broker that fails to push one must not undo an order that took effect. */
  private async notify(accountId: string, event: AccountEvent): Promise<void> {
    try {
      await this.deps.notifier.notify(accountId, event);
    } catch (error) {
      this.deps.log.warn({ err: error, accountId, type: event.type }, 'pushing a restriction notice failed');
    }
  }
}
