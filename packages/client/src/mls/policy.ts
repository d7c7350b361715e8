import type { ClientState, Proposal, ProposalWithSender } from 'ts-mls';
import { GroupPolicyError } from './errors';
import type { ProposalSource, ProposalSummary } from './events';
import { parseCredentialSubject, parseIdentityBytes } from './identity';
import { memberAt } from './members';

export type PolicyVerdict = { accept: true } | { accept: false; reason: string };

/** Proposals Signet clients make: adds and removes inside commits, removes for leaving, updates. */
const MEMBER_PROPOSALS = new Set(['add', 'remove', 'update']);

/**
 * Which proposals a member stores. Every Signet client applies the same rule, so a proposal one member
 * refuses is refused by all and never committed. The server may only propose Remove, and only of the
 * device it names in authenticated_data; nothing may change the group context (and so the external
 * senders), re-initialise the group or inject PSKs.
 */
export function checkProposal(
  state: ClientState,
  proposal: Proposal,
  from: ProposalSource,
  authenticatedData: Uint8Array,
): PolicyVerdict {
  if (from.type === 'server') {
    if (proposal.proposalType !== 'remove') return { accept: false, reason: 'the server may only propose removals' };
    const named = parseIdentityBytes(authenticatedData);
    const member = memberAt(state, proposal.remove.removed);
    if (named?.kind !== 'device' || member === undefined) {
      return { accept: false, reason: 'the removal does not name the device at that leaf' };
    }
    if (named.accountId !== member.accountId || named.deviceId !== member.deviceId) {
      return { accept: false, reason: `leaf ${member.leafIndex} holds another device than the one named` };
    }
    return { accept: true };
  }
  if (typeof proposal.proposalType !== 'string' || !MEMBER_PROPOSALS.has(proposal.proposalType)) {
    return { accept: false, reason: `${proposal.proposalType} proposals are not allowed in Signet groups` };
  }
  return { accept: true };
}

/** A commit's proposals (inline ones were never checked as proposals); a violation cannot be followed. */
export function assertCommitAllowed(proposals: ProposalWithSender[]): void {
  for (const { proposal } of proposals) {
    if (typeof proposal.proposalType !== 'string' || !MEMBER_PROPOSALS.has(proposal.proposalType)) {
      throw new GroupPolicyError(`a commit carries a ${proposal.proposalType} proposal, which Signet groups forbid`);
    }
  }
}

export function summarizeProposal(state: ClientState, proposal: Proposal, senderLeafIndex?: number): ProposalSummary {
  switch (proposal.proposalType) {
    case 'remove':
      return {
        type: 'remove',
        leafIndex: proposal.remove.removed,
        member: safeMemberAt(state, proposal.remove.removed),
      };
    case 'add': {
      const subject = parseCredentialSubject(proposal.add.keyPackage.leafNode.credential);
      return { type: 'add', device: subject?.kind === 'device' ? subject : undefined };
    }
    case 'update':
      return { type: 'update', leafIndex: senderLeafIndex };
    default:
      return { type: 'other', proposalType: proposal.proposalType };
  }
}

function safeMemberAt(state: ClientState, leafIndex: number) {
  try {
    return memberAt(state, leafIndex);
  } catch {
    return undefined;
  }
}
