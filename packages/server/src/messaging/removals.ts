import { createExternalRemoveProposal, type ExternalRemoveTarget, loadCipherSuite } from '@signet/client/mls';
import type { DeviceLeaf } from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { Schema } from '../db';
import type { CredentialAuthority } from './credentials';

/** Signs the server's MLS Remove proposal (as the group's external sender) for one device. */
export type RemovalSigner = (target: ExternalRemoveTarget) => Promise<Uint8Array>;

export function removalSigner(credentials: CredentialAuthority): RemovalSigner {
  let suite: ReturnType<typeof loadCipherSuite> | undefined;
  return async (target) => {
    suite ??= loadCipherSuite();
    return createExternalRemoveProposal(await suite, await credentials.externalSenderSigner(), target);
  };
}

/**
 * Records where a commit put the devices it added. Only devices of accounts that are members after the
 * commit count; a leaf index given again replaces whoever held it before (MLS reuses blank leaves).
 */
export async function recordLeaves(
  tx: Kysely<Schema>,
  conversationId: string,
  leaves: readonly DeviceLeaf[],
  members: readonly string[],
): Promise<void> {
  if (leaves.length === 0 || members.length === 0) return;
  const devices = await tx
    .selectFrom('devices')
    .select(['id', 'account_id'])
    .where(
      'id',
      'in',
      leaves.map((l) => l.deviceId),
    )
    .where('account_id', 'in', members)
    .execute();
  const accountOf = new Map(devices.map((d) => [d.id, d.account_id]));
  const known = leaves.filter((l) => accountOf.has(l.deviceId));
  if (known.length === 0) return;
  await tx
    .deleteFrom('group_leaves')
    .where('conversation_id', '=', conversationId)
    .where((eb) =>
      eb.or([
        eb(
          'leaf_index',
          'in',
          known.map((l) => l.leafIndex),
        ),
        eb(
          'device_id',
          'in',
          known.map((l) => l.deviceId),
        ),
      ]),
    )
    .execute();
  await tx
    .insertInto('group_leaves')
    .values(
      known.map((l) => ({
        conversation_id: conversationId,
        device_id: l.deviceId,
        account_id: accountOf.get(l.deviceId) as string,
        leaf_index: l.leafIndex,
      })),
    )
    .execute();
}

/** A commit removed these accounts: their leaves are gone, and so is any removal the server still proposed. */
export async function forgetRemoved(tx: Kysely<Schema>, conversationId: string, accounts: readonly string[]) {
  if (accounts.length === 0) return;
  for (const table of ['group_leaves', 'pending_removals'] as const) {
    await tx
      .deleteFrom(table)
      .where('conversation_id', '=', conversationId)
      .where('account_id', 'in', [...accounts])
      .execute();
  }
}

/**
 * In the transaction that retires an account: it leaves every conversation at once (nothing more reaches
 * it), and each of its devices' leaves waits for the server's Remove proposal and a member's commit of it.
 */
export async function leaveConversations(tx: Kysely<Schema>, accountId: string, now: number): Promise<void> {
  const leaves = await tx.selectFrom('group_leaves').selectAll().where('account_id', '=', accountId).execute();
  if (leaves.length > 0) {
    await tx
      .insertInto('pending_removals')
      .values(leaves.map((l) => ({ ...l, proposed_epoch: null, created_at: now })))
      .onConflict((oc) => oc.columns(['conversation_id', 'device_id']).doNothing())
      .execute();
  }
  await tx.deleteFrom('group_leaves').where('account_id', '=', accountId).execute();
  await tx.deleteFrom('conversation_members').where('account_id', '=', accountId).execute();
}

/** Whether removals wait in the conversation that no proposal at `epoch` covers. */
export async function removalsDue(tx: Kysely<Schema>, conversationId: string, epoch: number): Promise<boolean> {
  const row = await tx
    .selectFrom('pending_removals')
    .select('device_id')
    .where('conversation_id', '=', conversationId)
    .where((eb) => eb.or([eb('proposed_epoch', 'is', null), eb('proposed_epoch', '<', epoch)]))
    .executeTakeFirst();
  return row !== undefined;
}
