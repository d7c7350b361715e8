import type { DeviceIdentity } from './identity';
import type { GroupMember } from './members';

export type ProposalSource = { type: 'member'; member: GroupMember } | { type: 'server'; serverId: string };

export type ProposalSummary =
  | { type: 'remove'; leafIndex: number; member: GroupMember | undefined }
  | { type: 'add'; device: DeviceIdentity | undefined }
  | { type: 'update'; leafIndex: number | undefined }
  | { type: 'other'; proposalType: string | number };

/** What processing one incoming message did. */
export type IncomingEvent =
  | {
      kind: 'application';
      epoch: bigint;
      /** Authenticated by MLS: the leaf whose key signed the message. */
      sender: GroupMember;
      plaintext: Uint8Array;
      /** Sent in the clear beside the ciphertext, but covered by its integrity. */
      authenticatedData: Uint8Array;
    }
  | {
      kind: 'proposal';
      epoch: bigint;
      from: ProposalSource;
      proposal: ProposalSummary;
      /** Refused proposals are not stored and cannot be committed; `reason` says why. */
      accepted: boolean;
      reason?: string;
    }
  | {
      kind: 'commit';
      /** The group's epoch after the commit (unchanged when it removed us: we cannot follow it). */
      epoch: bigint;
      committer: GroupMember | undefined;
      /** Our own pending commit, recognised when the server delivered it back. */
      own: boolean;
      added: GroupMember[];
      removed: GroupMember[];
      removedSelf: boolean;
    };

/** An MLS message to hand to the server, with the clear header its API wants beside it. */
export interface OutgoingMessage {
  kind: 'application' | 'proposal' | 'commit';
  groupId: Uint8Array;
  epoch: bigint;
  /** MLSMessage bytes (send as base64url). */
  payload: Uint8Array;
}
