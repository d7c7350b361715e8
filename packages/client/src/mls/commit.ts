import { type ClientState, createCommit, type KeyPackage, makePskIndex, type Proposal } from 'ts-mls';
import { keyPackageFromBytes, mlsMessageToBytes, welcomeToBytes } from './codec';
import type { MlsContext } from './context';
import { CredentialRejectedError, GroupPolicyError, NotAMemberError } from './errors';
import { describeSubject, parseCredentialSubject } from './identity';
import { diffMembers, type GroupMember, listMembers, memberAt } from './members';

export interface CommitChanges {
  /** KeyPackages of devices to add (parsed, or as the bytes the key directory handed out). */
  add?: (KeyPackage | Uint8Array)[];
  /** Leaf indexes of members to remove (see `MlsGroup.members`). */
  remove?: number[];
}

export interface BuiltCommit {
  /** The epoch the commit was made in: the server accepts it only while the group is still there. */
  epoch: bigint;
  newState: ClientState;
  commit: Uint8Array;
  welcome: Uint8Array | undefined;
  added: GroupMember[];
  removed: GroupMember[];
}

/**
 * Makes a commit of the given adds and removes plus every proposal received and stored since the last
 * commit (a server Remove, a member's leave): ts-mls always includes those by reference. Nothing changes
 * until the caller adopts `newState`, which it must do only once the server has accepted the commit.
 */
export async function buildCommit(ctx: MlsContext, state: ClientState, changes: CommitChanges): Promise<BuiltCommit> {
  if (state.groupActiveState.kind !== 'active') throw new NotAMemberError('this device is no longer in the group');
  const self = state.privatePath.leafIndex;
  const removesSelf = Object.values(state.unappliedProposals).some(
    (p) => p.proposal.proposalType === 'remove' && p.proposal.remove.removed === self,
  );
  if (removesSelf) {
    throw new GroupPolicyError('a pending proposal removes this device; another member has to commit it');
  }

  const proposals: Proposal[] = [];
  for (const item of changes.add ?? []) {
    const keyPackage = item instanceof Uint8Array ? keyPackageFromBytes(item) : item;
    await assertVouched(ctx, keyPackage);
    if (keyPackage.cipherSuite !== state.groupContext.cipherSuite) {
      throw new GroupPolicyError(
        `KeyPackage is for ${keyPackage.cipherSuite}, the group uses ${state.groupContext.cipherSuite}`,
      );
    }
    proposals.push({ proposalType: 'add', add: { keyPackage } });
  }
  for (const leafIndex of new Set(changes.remove ?? [])) {
    if (leafIndex === self) throw new GroupPolicyError('a member cannot commit its own removal: use proposeLeave()');
    if (memberAt(state, leafIndex) === undefined) throw new GroupPolicyError(`no member at leaf ${leafIndex}`);
    proposals.push({ proposalType: 'remove', remove: { removed: leafIndex } });
  }

  const result = await createCommit(
    { state, cipherSuite: ctx.cipherSuite, pskIndex: makePskIndex(state, {}) },
    // The Welcome carries the ratchet tree, so that joiners need nothing else from the server.
    { extraProposals: proposals, ratchetTreeExtension: true },
  );
  // `result.consumed` is not zeroed: the old state stays live until the server accepts this commit.
  const { added, removed } = diffMembers(listMembers(state), listMembers(result.newState));
  return {
    epoch: state.groupContext.epoch,
    newState: result.newState,
    commit: mlsMessageToBytes(result.commit),
    welcome: result.welcome === undefined ? undefined : welcomeToBytes(result.welcome),
    added,
    removed,
  };
}

/** The explicit check before adding: the server must vouch for the KeyPackage's credential and key. */
async function assertVouched(ctx: MlsContext, keyPackage: KeyPackage): Promise<void> {
  const { credential, signaturePublicKey } = keyPackage.leafNode;
  const subject = parseCredentialSubject(credential);
  const verdict = await ctx.validator.validate(credential, signaturePublicKey);
  if (!verdict.valid) throw new CredentialRejectedError(verdict.reason, subject && describeSubject(subject));
  if (verdict.subject.kind !== 'device') throw new CredentialRejectedError('only devices can be members');
}
