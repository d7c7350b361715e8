import { type ClientState, createApplicationMessage, createProposal, zeroOutUint8Array } from 'ts-mls';
import { equalBytes, toBase64url } from './bytes';
import { mlsMessageFromBytes, mlsMessageToBytes, readMessageHeader } from './codec';
import { buildCommit, type CommitChanges } from './commit';
import type { MlsContext } from './context';
import { NotAMemberError, PendingCommitError, PendingProposalsError } from './errors';
import type { IncomingEvent, OutgoingMessage, ProposalSummary } from './events';
import { encodeGroupSnapshot, type PendingCommitRecord } from './group-state';
import { processIncoming } from './incoming';
import { diffMembers, type GroupMember, listMembers, memberAt } from './members';
import { summarizeProposal } from './policy';

export type CommitEvent = Extract<IncomingEvent, { kind: 'commit' }>;

/**
 * A commit made for `epoch` and sent to the server, which accepts one commit per epoch. Until it
 * answers, the group stays in `epoch`: it still decrypts application messages but makes no other
 * handshake and sends nothing.
 * - accepted: `confirm()` moves the group to the next epoch (send `welcome` to the added devices);
 * - rejected because another commit won: `discard()`, then `receive()` the winning commit, then make
 *   the commit again (the intent still holds, the old bytes do not).
 */
export interface PendingCommit {
  readonly epoch: bigint;
  readonly commit: Uint8Array;
  readonly welcome: Uint8Array | undefined;
  readonly added: GroupMember[];
  readonly removed: GroupMember[];
  confirm(): Promise<CommitEvent>;
  discard(): Promise<void>;
}

/**
 * One MLS group as seen by this device: holds the ts-mls state and replaces it after each operation.
 * Operations run one at a time (each awaits the previous), because reusing a stale state would reuse
 * message keys. Created by `createGroup`, `joinGroupFromWelcome` or `restoreGroup`.
 */
export class MlsGroup {
  readonly #ctx: MlsContext;
  #state: ClientState;
  #pending: PendingCommitRecord | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: MlsContext, state: ClientState, pending?: PendingCommitRecord) {
    this.#ctx = ctx;
    this.#state = state;
    this.#pending = pending;
  }

  get groupId(): Uint8Array {
    return this.#state.groupContext.groupId;
  }

  /** The group id in base64url: the protocol's conversation id. */
  get conversationId(): string {
    return toBase64url(this.groupId);
  }

  get epoch(): bigint {
    return this.#state.groupContext.epoch;
  }

  get members(): GroupMember[] {
    return listMembers(this.#state);
  }

  /** This device's leaf; undefined once removed. */
  get self(): GroupMember | undefined {
    return this.isMember ? memberAt(this.#state, this.#state.privatePath.leafIndex) : undefined;
  }

  get isMember(): boolean {
    return this.#state.groupActiveState.kind === 'active';
  }

  /** Proposals received (or made) in this epoch and waiting for a commit; the next commit includes them all. */
  get pendingProposals(): ProposalSummary[] {
    return Object.values(this.#state.unappliedProposals).map((p) =>
      summarizeProposal(this.#state, p.proposal, p.senderLeafIndex),
    );
  }

  get pendingCommit(): PendingCommit | undefined {
    return this.#pending && this.#handle(this.#pending);
  }

  /** Adds and removes members (and commits pending proposals); with no changes, refreshes our keys. */
  commit(changes: CommitChanges = {}): Promise<PendingCommit> {
    return this.#exclusive(async () => {
      this.#assertNoPendingCommit();
      const built = await buildCommit(this.#ctx, this.#state, changes);
      this.#pending = { epoch: built.epoch, commit: built.commit, welcome: built.welcome, newState: built.newState };
      return this.#handle(this.#pending);
    });
  }

  /**
   * Leaving: MLS does not let a member commit its own removal, so this proposes it (a Remove of our
   * own leaf, RFC 9420 §12.1.3) and the next member to commit removes us. If a commit arrives that did
   * not include it, the proposal is void and must be sent again. ts-mls 1.6.4 has no SelfRemove proposal.
   */
  proposeLeave(): Promise<OutgoingMessage> {
    return this.#exclusive(async () => {
      this.#assertNoPendingCommit();
      this.#assertMember();
      const own = this.#state.privatePath.leafIndex;
      const result = await createProposal(
        this.#state,
        false,
        { proposalType: 'remove', remove: { removed: own } },
        this.#ctx.cipherSuite,
      );
      this.#state = result.newState;
      return this.#outgoing('proposal', mlsMessageToBytes(result.message));
    });
  }

  encrypt(plaintext: Uint8Array, authenticatedData: Uint8Array = new Uint8Array()): Promise<OutgoingMessage> {
    return this.#exclusive(async () => {
      this.#assertNoPendingCommit();
      this.#assertMember();
      if (Object.keys(this.#state.unappliedProposals).length > 0) {
        throw new PendingProposalsError('proposals are waiting for a commit; commit() before sending');
      }
      const result = await createApplicationMessage(this.#state, plaintext, this.#ctx.cipherSuite, authenticatedData);
      this.#state = result.newState;
      result.consumed.forEach(zeroOutUint8Array);
      const payload = mlsMessageToBytes({
        version: 'mls10',
        wireformat: 'mls_private_message',
        privateMessage: result.privateMessage,
      });
      return this.#outgoing('application', payload);
    });
  }

  /** Processes one message from the group's stream, in server order. Each ciphertext is accepted once. */
  receive(bytes: Uint8Array): Promise<IncomingEvent> {
    return this.#exclusive(async () => {
      const message = mlsMessageFromBytes(bytes);
      const pending = this.#pending;
      if (pending !== undefined) {
        // Our own commit coming back in the group's stream means the server accepted it.
        if (equalBytes(bytes, pending.commit)) return this.#adopt(pending);
        if (readMessageHeader(message).contentType !== 'application') {
          throw new PendingCommitError(
            'a commit of ours is pending: confirm() or discard() it before other handshakes',
          );
        }
      }
      const { state, event } = await processIncoming(this.#ctx, this.#state, message);
      this.#state = state;
      return event;
    });
  }

  /** The group's state (and pending commit) as bytes for the key store. Secret. */
  serialize(): Uint8Array {
    return encodeGroupSnapshot(this.#state, this.#pending);
  }

  #handle(record: PendingCommitRecord): PendingCommit {
    const { added, removed } = diffMembers(listMembers(this.#state), listMembers(record.newState));
    const stillPending = () => {
      if (this.#pending !== record) throw new PendingCommitError('this commit is no longer pending');
    };
    return {
      epoch: record.epoch,
      commit: record.commit,
      welcome: record.welcome,
      added,
      removed,
      confirm: () =>
        this.#exclusive(async () => {
          stillPending();
          return this.#adopt(record);
        }),
      discard: () =>
        this.#exclusive(async () => {
          stillPending();
          this.#pending = undefined;
        }),
    };
  }

  #adopt(record: PendingCommitRecord): CommitEvent {
    const live = this.#state;
    const next = record.newState;
    // The commit's copy of this epoch's receiver keys predates messages decrypted since; take the live ones,
    // or those messages would become decryptable again.
    const history = new Map(next.historicalReceiverData);
    for (const [epoch, data] of history) {
      if (epoch === live.groupContext.epoch) history.set(epoch, { ...data, secretTree: live.secretTree });
      else history.set(epoch, live.historicalReceiverData.get(epoch) ?? data);
    }
    const { added, removed } = diffMembers(listMembers(live), listMembers(next));
    this.#state = { ...next, historicalReceiverData: history };
    this.#pending = undefined;
    return {
      kind: 'commit',
      epoch: next.groupContext.epoch,
      committer: memberAt(live, live.privatePath.leafIndex),
      own: true,
      added,
      removed,
      removedSelf: false,
    };
  }

  #outgoing(kind: OutgoingMessage['kind'], payload: Uint8Array): OutgoingMessage {
    return { kind, groupId: this.groupId, epoch: this.epoch, payload };
  }

  #assertNoPendingCommit(): void {
    if (this.#pending !== undefined) {
      throw new PendingCommitError('a commit of ours is pending: confirm() or discard() it first');
    }
  }

  #assertMember(): void {
    if (!this.isMember) throw new NotAMemberError('this device is no longer in the group');
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
