import type { SignetApi } from './api/endpoints';
import { SignetApiError, SignetNetworkError } from './api/http-client';
import type { ConversationStore, DeviceLeaf } from './conversation-store';
import { NotInConversationError, UnknownConversationError } from './errors';
import { toBase64url } from './mls/bytes';
import type { CommitChanges } from './mls/commit';
import type { CommitEvent, MlsGroup, PendingCommit } from './mls/group';
import type { GroupMember } from './mls/members';
import { randomId } from './util/ids';

/** What to commit, decided against the group's current state (it may have moved since the last try); null: nothing. */
export type CommitPlan = (group: MlsGroup) => CommitChanges | null | Promise<CommitChanges | null>;

/** A commit as sent to the server, kept until its answer so that a crash resends the same one. */
interface SentCommit {
  clientMessageId: string;
  add: string[];
  remove: string[];
  leaves: DeviceLeaf[];
}

export type EpochWaiter = (conversationId: string, epoch: number) => Promise<void>;

export interface CommitterOptions {
  /** Commits lost to concurrent ones before giving up. */
  maxAttempts?: number;
}

/**
 * Commits through the server's one-commit-per-epoch ordering: make the commit, persist the group with
 * it pending, send it; accepted → confirm; `EPOCH_CONFLICT` → discard, let the inbox process the winner,
 * plan again and retry. A commit left pending by a crash is resent with the same client message id
 * (`recover`), so the server's answer settles it either way.
 */
export class GroupCommitter {
  constructor(
    private readonly api: SignetApi,
    private readonly conversations: ConversationStore,
    private readonly waitForEpoch: EpochWaiter,
    private readonly options: CommitterOptions = {},
  ) {}

  /** Runs the plan until a commit of it is accepted; undefined when the plan had nothing to do. */
  async commit(conversationId: string, plan: CommitPlan): Promise<CommitEvent | undefined> {
    const attempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.conversations.exclusive(conversationId, async () => {
        const group = await this.conversations.group(conversationId);
        if (!group) throw new UnknownConversationError(conversationId);
        await this.recover(group);
        if (!group.isMember) throw new NotInConversationError(conversationId);
        const changes = await plan(group);
        if (changes === null) return { done: undefined };
        return this.attempt(group, changes);
      });
      if ('done' in outcome) return outcome.done;
      if (attempt >= attempts) {
        throw new SignetApiError(409, 'EPOCH_CONFLICT', `gave up after ${attempts} commits lost to concurrent ones`);
      }
      await this.waitForEpoch(conversationId, outcome.conflictAt);
    }
  }

  /** Settles a commit left pending (call under the conversation's lock). */
  async recover(group: MlsGroup): Promise<void> {
    const pending = group.pendingCommit;
    if (!pending) return;
    const record = await this.conversations.record(group.conversationId);
    const sent = record?.pendingCommit;
    if (!sent) {
      // Never sent (a crash right after making it): nobody saw it.
      await pending.discard();
      await this.conversations.saveGroup(group);
      return;
    }
    await this.sendAndSettle(group, pending, { ...sent, leaves: sent.leaves ?? [] }).catch((error) => {
      if (!isEpochConflict(error)) throw error;
    });
  }

  private async attempt(
    group: MlsGroup,
    changes: CommitChanges,
  ): Promise<{ done: CommitEvent | undefined } | { conflictAt: number }> {
    const before = group.members;
    const pending = await group.commit(changes);
    const add = unique(pending.added.map((m) => m.accountId));
    const remove = accountsGone(before, pending);
    const leaves = pending.added.map((m) => ({ deviceId: m.deviceId, leafIndex: m.leafIndex }));
    const sent = { clientMessageId: randomId(), add, remove, leaves };
    await this.conversations.saveGroup(group);
    await this.conversations.updateRecord(group.conversationId, (r) => ({ ...r, pendingCommit: sent }));
    try {
      return { done: await this.sendAndSettle(group, pending, sent) };
    } catch (error) {
      if (!isEpochConflict(error)) throw error;
      const epoch = Number((error as SignetApiError).details.epoch);
      return { conflictAt: Number.isFinite(epoch) ? epoch : Number(group.epoch) + 1 };
    }
  }

  /** Sends (retrying lost connections with the same id); confirms on acceptance, discards on refusal. */
  private async sendAndSettle(
    group: MlsGroup,
    pending: PendingCommit,
    { clientMessageId, add, remove, leaves }: SentCommit,
  ): Promise<CommitEvent> {
    const body = {
      clientMessageId,
      kind: 'commit' as const,
      epoch: Number(pending.epoch),
      payload: toBase64url(pending.commit),
      ...(add.length > 0 ? { add } : {}),
      ...(remove.length > 0 ? { remove } : {}),
      ...(leaves.length > 0 ? { leaves } : {}),
      ...(pending.welcome && add.length > 0 ? { welcome: toBase64url(pending.welcome) } : {}),
    };
    try {
      await sendWithRetry(() => this.api.send(group.conversationId, body));
    } catch (error) {
      // A lost connection leaves the commit pending, to be resent by `recover`; any answer settles it.
      if (!(error instanceof SignetNetworkError)) await this.settle(group, pending, undefined);
      throw error;
    }
    return (await this.settle(group, pending, 'confirm'))!;
  }

  private async settle(group: MlsGroup, pending: PendingCommit, how: 'confirm' | undefined) {
    const event = how === 'confirm' ? await pending.confirm() : await pending.discard().then(() => undefined);
    await this.conversations.saveGroup(group);
    await this.conversations.updateRecord(group.conversationId, ({ pendingCommit: _, ...r }) => r);
    return event;
  }
}

/** Sends once, and again (same body, so the same client message id) after a lost connection. */
export async function sendWithRetry<T>(send: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof SignetNetworkError) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * i));
    }
  }
}

export function isEpochConflict(error: unknown): boolean {
  return error instanceof SignetApiError && error.status === 409 && error.code === 'EPOCH_CONFLICT';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Accounts none of whose devices remain after the commit: the server drops them from the conversation. */
function accountsGone(before: GroupMember[], pending: PendingCommit): string[] {
  const removed = new Set(pending.removed.map((m) => m.leafIndex));
  const remaining = new Set([
    ...before.filter((m) => !removed.has(m.leafIndex)).map((m) => m.accountId),
    ...pending.added.map((m) => m.accountId),
  ]);
  return unique(pending.removed.map((m) => m.accountId)).filter((a) => !remaining.has(a));
}
