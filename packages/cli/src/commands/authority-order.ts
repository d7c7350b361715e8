import { createHash } from 'node:crypto';
import {
  type CreateRestrictionOrder,
  RESTRICTION_ACTIONS,
  type RestrictionOrder,
  type RestrictionTargetInput,
} from '@signet/protocol';
import type { Command } from 'commander';
import { print } from '../admin-db';
import { type AuthorityKeyOptions, asAuthority, withKey } from './authority-key';

interface OrderOptions extends AuthorityKeyOptions {
  reference: string;
  basis: string;
  post?: string;
  channel?: string;
  suspendSending?: string;
  limitReach?: string;
  fingerprint?: string;
  text?: string;
  expires?: string;
  withhold?: string;
}

/**
 * `signet authority order|orders|order-show|order-revoke`: restriction orders, as the authority itself, over the
 * signed authority API with its credential file.
 */
export function registerOrderCommands(authority: Command): void {
  withKey(authority.command('order'))
    .description(
      'Issue a restriction order with its legal basis; it takes effect at once and the affected user is told (unless --withhold)',
    )
    .requiredOption('--reference <ref>', 'the reference of the decision (number, date, issuing body)')
    .requiredOption('--basis <text>', 'the legal ground, in words')
    .option('--post <postId>', 'hide a public channel post')
    .option('--channel <channelId>', 'hide a public channel')
    .option('--suspend-sending <accountId>', "suspend an account's sending")
    .option('--limit-reach <accountId>', "limit an account's reach (search, lookup, new conversations)")
    .option('--fingerprint <sha256>', 'block public content with this SHA-256')
    .option('--text <text>', 'block public content with exactly this text (its SHA-256 is sent, not the text)')
    .option('--expires <when>', 'an instant such as 2026-12-31T00:00:00Z (default: until revoked)')
    .option('--withhold <ground>', 'do not tell the affected user, on this legal ground')
    .action((o: OrderOptions) =>
      asAuthority(o, async (client) => {
        const order = await client.issueOrder(orderFrom(o));
        if (o.json) return print(JSON.stringify({ order }));
        print(orderLine(order));
      }),
    );

  withKey(authority.command('orders'))
    .description("List the authority's restriction orders, newest first")
    .option('--status <status>', 'active, revoked or expired')
    .option('--limit <n>', 'how many', '20')
    .action((o: AuthorityKeyOptions & { status?: 'active' | 'revoked' | 'expired'; limit: string }) =>
      asAuthority(o, async (client) => {
        const { orders } = await client.listOrders({ limit: o.limit, ...(o.status ? { status: o.status } : {}) });
        if (o.json) return print(JSON.stringify({ orders }));
        if (orders.length === 0) return print('No orders. Issue one with `signet authority order`.');
        for (const order of orders) print(orderLine(order));
      }),
    );

  withKey(authority.command('order-show'))
    .description('One restriction order with its audit trail')
    .argument('<orderId>')
    .action((id: string, o: AuthorityKeyOptions) =>
      asAuthority(o, async (client) => {
        const order = await client.getOrder(id);
        if (o.json) return print(JSON.stringify({ order }));
        print(orderLine(order));
        for (const e of order.auditTrail) print(`  #${e.seq}  ${new Date(e.at).toISOString()}  ${e.kind}`);
      }),
    );

  withKey(authority.command('order-revoke'))
    .description('Revoke a restriction order: what it restricted is restored at once (audited)')
    .argument('<orderId>')
    .requiredOption('--reason <text>', 'why it is revoked')
    .action((id: string, o: AuthorityKeyOptions & { reason: string }) =>
      asAuthority(o, async (client) => {
        const order = await client.revokeOrder(id, o.reason);
        if (o.json) return print(JSON.stringify({ order }));
        print(orderLine(order));
      }),
    );
}

function orderFrom(o: OrderOptions): CreateRestrictionOrder {
  const targets: RestrictionTargetInput[] = [];
  if (o.post !== undefined) targets.push({ type: 'channel_post', postId: Number(o.post) });
  if (o.channel !== undefined) targets.push({ type: 'channel', channelId: o.channel });
  if (o.suspendSending !== undefined) targets.push({ type: 'account_sending', accountId: o.suspendSending });
  if (o.limitReach !== undefined) targets.push({ type: 'account_reach', accountId: o.limitReach });
  if (o.fingerprint !== undefined) targets.push({ type: 'content_fingerprint', sha256: o.fingerprint });
  if (o.text !== undefined) {
    targets.push({ type: 'content_fingerprint', sha256: createHash('sha256').update(o.text).digest('hex') });
  }
  const [target, ...more] = targets;
  if (!target || more.length > 0) {
    throw new Error(
      'name exactly one target: --post, --channel, --suspend-sending, --limit-reach, --fingerprint or --text',
    );
  }
  let expiresAt: number | undefined;
  if (o.expires !== undefined) {
    expiresAt = Date.parse(o.expires);
    if (Number.isNaN(expiresAt))
      throw new Error(`--expires ${o.expires}: expected an instant such as 2026-12-31T00:00:00Z`);
  }
  return {
    legalBasis: { reference: o.reference, text: o.basis },
    target,
    action: RESTRICTION_ACTIONS[target.type as keyof typeof RESTRICTION_ACTIONS],
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(o.withhold === undefined ? {} : { notice: { withheld: true, legalGround: o.withhold } }),
  };
}

function orderLine(o: RestrictionOrder): string {
  const target = Object.entries(o.target)
    .filter(([k]) => k !== 'type')
    .map(([, v]) => String(v))
    .join(' ');
  const until = o.expiresAt === null ? '' : ` until ${new Date(o.expiresAt).toISOString()}`;
  const notice = o.notice.withheld ? ' [notice withheld]' : '';
  return `${o.orderId}  ${o.status}  ${o.action} ${o.target.type} ${target}${until}${notice}  (${o.legalBasis.reference})`;
}
