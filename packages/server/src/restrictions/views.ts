import type {
  AccountRestriction,
  RestrictedItem,
  RestrictionAction,
  RestrictionAuditEntry,
  RestrictionOrder,
  RestrictionTarget,
} from '@signet/protocol';
import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../db/schema/audit';
import type { noticesOf, OrderRow } from './restriction-store';

export function targetOf(row: OrderRow): RestrictionTarget {
  switch (row.target_type) {
    case 'channel_post':
      return { type: 'channel_post', postId: Number(row.target) };
    case 'channel':
      return { type: 'channel', channelId: row.target };
    case 'account_sending':
    case 'account_reach':
      return { type: row.target_type, accountId: row.target };
    case 'content_fingerprint':
      return { type: 'content_fingerprint', sha256: row.target };
  }
}

export function orderView(row: OrderRow): RestrictionOrder {
  return {
    orderId: row.id,
    authorityId: row.authority_id,
    legalBasis: { reference: row.legal_reference, text: row.legal_text },
    target: targetOf(row),
    action: row.action as RestrictionAction,
    status: row.status,
    notice: { withheld: Number(row.notice_withheld) === 1, legalGround: row.withheld_ground },
    issuedAt: Number(row.issued_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    endReason: row.end_reason,
    postsRestricted: Number(row.posts_restricted),
  };
}

export function auditEntryView(row: Selectable<AuditLogTable>): RestrictionAuditEntry {
  return {
    seq: Number(row.seq),
    at: Number(row.at),
    kind: row.kind,
    actor: row.actor_id === null ? { type: row.actor_type } : { type: row.actor_type, id: row.actor_id },
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    hash: row.hash,
  };
}

export function accountRestrictionView(row: Awaited<ReturnType<typeof noticesOf>>[number]): AccountRestriction {
  return {
    orderId: row.order_id,
    restricted: JSON.parse(row.restricted) as RestrictedItem,
    action: row.action as RestrictionAction,
    legalBasis: { reference: row.legal_reference, text: row.legal_text },
    status: row.status,
    notifiedAt: Number(row.notified_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
  };
}
