import {
  type ClientState,
  type IncomingMessageCallback,
  type MLSMessage,
  makePskIndex,
  type PrivateMessage,
  type ProposalWithSender,
  processMessage,
  zeroOutUint8Array,
} from 'ts-mls';
import { decryptSenderData } from 'ts-mls/privateMessage.js';
import { equalBytes } from './bytes';
import { readMessageHeader } from './codec';
import type { MlsContext } from './context';
import {
  CredentialRejectedError,
  EpochError,
  GroupPolicyError,
  MessageReplayError,
  NotAMemberError,
  WrongGroupError,
} from './errors';
import type { IncomingEvent, ProposalSource } from './events';
import { groupExternalSenders } from './external-sender';
import { diffMembers, type GroupMember, listMembers, memberAt } from './members';
import { assertCommitAllowed, checkProposal, type PolicyVerdict, summarizeProposal } from './policy';

/** The two wire formats that carry group content. */
export type GroupMessage = Extract<MLSMessage, { wireformat: 'mls_private_message' | 'mls_public_message' }>;

export interface Processed {
  state: ClientState;
  event: IncomingEvent;
}

/** Processes one group message against a state, returning the next state; the input state is not changed. */
export async function processIncoming(ctx: MlsContext, state: ClientState, message: MLSMessage): Promise<Processed> {
  if (message.wireformat !== 'mls_private_message' && message.wireformat !== 'mls_public_message') {
    throw new GroupPolicyError(`${message.wireformat} is not a group message`);
  }
  const header = readMessageHeader(message);
  const epoch = state.groupContext.epoch;
  if (!equalBytes(header.groupId, state.groupContext.groupId))
    throw new WrongGroupError('message is for another group');
  if (state.groupActiveState.kind !== 'active') throw new NotAMemberError('this device is no longer in the group');
  if (header.epoch > epoch) throw new EpochError('future', header.epoch, epoch);
  if (header.epoch < epoch && header.contentType !== 'application') {
    // Handshake messages only ever apply to the current epoch; an older one is a replay or a loser.
    throw new EpochError('expired', header.epoch, epoch);
  }
  const from = await identifySender(ctx, state, message);
  if (header.contentType === 'application') {
    return processApplication(ctx, state, message, from);
  }
  const authenticatedData =
    message.wireformat === 'mls_private_message'
      ? message.privateMessage.authenticatedData
      : message.publicMessage.content.authenticatedData;
  return processHandshake(ctx, state, message, from, authenticatedData);
}

async function processApplication(
  ctx: MlsContext,
  state: ClientState,
  message: GroupMessage,
  from: ProposalSource,
): Promise<Processed> {
  if (message.wireformat !== 'mls_private_message') throw new GroupPolicyError('application data must be encrypted');
  if (from.type !== 'member') throw new GroupPolicyError('only members send application messages');
  const result = await withExplainedErrors(() =>
    processMessage(message, state, makePskIndex(state, {}), () => 'accept', ctx.cipherSuite),
  );
  if (result.kind !== 'applicationMessage') throw new GroupPolicyError('expected an application message');
  result.consumed.forEach(zeroOutUint8Array);
  const pm = message.privateMessage;
  return {
    state: result.newState,
    event: {
      kind: 'application',
      epoch: pm.epoch,
      sender: from.member,
      plaintext: result.message,
      authenticatedData: pm.authenticatedData,
    },
  };
}

async function processHandshake(
  ctx: MlsContext,
  state: ClientState,
  message: GroupMessage,
  from: ProposalSource,
  authenticatedData: Uint8Array,
): Promise<Processed> {
  let verdict = { accept: true } as PolicyVerdict;
  let commitProposals: ProposalWithSender[] | undefined;
  let policyViolation: Error | undefined;
  let proposalSeen: ProposalWithSender | undefined;
  const callback: IncomingMessageCallback = (incoming) => {
    if (incoming.kind === 'proposal') {
      proposalSeen = incoming.proposal;
      verdict = checkProposal(state, incoming.proposal.proposal, from, authenticatedData);
      return verdict.accept ? 'accept' : 'reject';
    }
    commitProposals = incoming.proposals;
    try {
      assertCommitAllowed(incoming.proposals);
      return 'accept';
    } catch (err) {
      policyViolation = err as Error;
      return 'reject';
    }
  };
  const before = listMembers(state);
  const result = await withExplainedErrors(() =>
    processMessage(message, state, makePskIndex(state, {}), callback, ctx.cipherSuite),
  );
  if (policyViolation) throw policyViolation;
  const epoch = state.groupContext.epoch;

  if (proposalSeen !== undefined) {
    const proposal = summarizeProposal(state, proposalSeen.proposal, proposalSeen.senderLeafIndex);
    if (!verdict.accept) {
      return {
        state: result.newState,
        event: { kind: 'proposal', epoch, from, proposal, accepted: false, reason: verdict.reason },
      };
    }
    // A proposal is stored under its reference: one that adds nothing new was seen before.
    if (Object.keys(result.newState.unappliedProposals).length === Object.keys(state.unappliedProposals).length) {
      throw new MessageReplayError('this proposal was already received');
    }
    return { state: result.newState, event: { kind: 'proposal', epoch, from, proposal, accepted: true } };
  }

  if (commitProposals === undefined) throw new GroupPolicyError('expected a proposal or a commit');
  const removedSelf = result.newState.groupActiveState.kind === 'removedFromGroup';
  const { added, removed } = diffMembers(before, listMembers(result.newState));
  return {
    state: result.newState,
    event: {
      kind: 'commit',
      epoch: result.newState.groupContext.epoch,
      committer: from.type === 'member' ? from.member : undefined,
      own: false,
      added,
      removed,
      removedSelf,
    },
  };
}

/** Who sent it, before any processing: member leaf from the (decrypted) sender data, or the server. */
async function identifySender(ctx: MlsContext, state: ClientState, message: GroupMessage): Promise<ProposalSource> {
  if (message.wireformat === 'mls_private_message') {
    const member = await privateSender(ctx, state, message.privateMessage);
    return { type: 'member', member };
  }
  const { sender, contentType } = message.publicMessage.content;
  switch (sender.senderType) {
    case 'member': {
      const member = memberAt(state, sender.leafIndex);
      if (member === undefined) throw new GroupPolicyError(`no member at leaf ${sender.leafIndex}`);
      return { type: 'member', member };
    }
    case 'external': {
      const listed = groupExternalSenders(state.groupContext)[sender.senderIndex];
      const isServer =
        listed !== undefined &&
        contentType === 'proposal' &&
        equalBytes(listed.signaturePublicKey, ctx.server.signaturePublicKey);
      if (!isServer) throw new GroupPolicyError('external message not from the pinned server');
      return { type: 'server', serverId: ctx.server.serverId };
    }
    default:
      // External joins (new_member_proposal / new_member_commit) are not part of Signet's flows.
      throw new GroupPolicyError(`${sender.senderType} messages are not accepted`);
  }
}

async function privateSender(ctx: MlsContext, state: ClientState, pm: PrivateMessage): Promise<GroupMember> {
  const current = pm.epoch === state.groupContext.epoch;
  const receiver = current
    ? { senderDataSecret: state.keySchedule.senderDataSecret, ratchetTree: state.ratchetTree }
    : state.historicalReceiverData.get(pm.epoch);
  if (receiver === undefined) throw new EpochError('expired', pm.epoch, state.groupContext.epoch);
  let leafIndex: number | undefined;
  try {
    leafIndex = (await decryptSenderData(pm, receiver.senderDataSecret, ctx.cipherSuite))?.leafIndex;
  } catch {
    leafIndex = undefined;
  }
  if (leafIndex === undefined) throw new GroupPolicyError('cannot read the sender: not encrypted for this group epoch');
  const member = memberAt({ ratchetTree: receiver.ratchetTree }, leafIndex);
  if (member === undefined) throw new GroupPolicyError(`no member at leaf ${leafIndex}`);
  return member;
}

/**
 * Gives two ts-mls failures their meaning (ts-mls tells them apart only by message): a message key asked
 * for again after use is a replay; a leaf the Authentication Service refuses is an unvouched member.
 */
async function withExplainedErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw explainTsMlsError(err);
  }
}

export function explainTsMlsError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  if (err.message === 'Desired gen in the past') {
    return new MessageReplayError('message already decrypted (its key is deleted), or too old');
  }
  if (err.message === 'Could not validate credential') {
    return new CredentialRejectedError('a member is not vouched for by the server');
  }
  return err;
}
