/** Base of every error the MLS layer throws on purpose; ts-mls's own errors pass through unchanged. */
export class MlsLayerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bytes that are not the MLS structure (or the stored record) they claim to be. */
export class MlsCodecError extends MlsLayerError {}

/** A credential the Authentication Service does not vouch for: never add its holder, never trust its messages. */
export class CredentialRejectedError extends MlsLayerError {
  constructor(
    readonly reason: string,
    readonly subject?: string,
  ) {
    super(subject === undefined ? `credential rejected: ${reason}` : `credential of ${subject} rejected: ${reason}`);
  }
}

/** A commit of ours awaits the server's verdict: confirm() or discard() it before the next handshake step. */
export class PendingCommitError extends MlsLayerError {}

/** The same ciphertext (or proposal) was seen before; its keys are gone, it is not processed twice. */
export class MessageReplayError extends MlsLayerError {}

/** This device is no longer in the group (removed, or left). */
export class NotAMemberError extends MlsLayerError {}

/** The message belongs to another group. */
export class WrongGroupError extends MlsLayerError {}

/** The message's epoch is ahead of ours (a commit was missed) or older than the keys we keep. */
export class EpochError extends MlsLayerError {
  constructor(
    readonly direction: 'future' | 'expired',
    readonly messageEpoch: bigint,
    readonly groupEpoch: bigint,
  ) {
    super(
      direction === 'future'
        ? `message is for epoch ${messageEpoch}, the group is at ${groupEpoch}: process the missing commits first`
        : `message is for epoch ${messageEpoch}, whose keys are no longer kept (group at ${groupEpoch})`,
    );
  }
}

/** Something Signet's group policy forbids (an unknown external sender, an unsupported proposal, …). */
export class GroupPolicyError extends MlsLayerError {}

/** Proposals wait for a commit; MLS forbids application messages until one is made: call commit(). */
export class PendingProposalsError extends MlsLayerError {}

/** None of this device's stored KeyPackages is the one a Welcome was made for. */
export class NoMatchingKeyPackageError extends MlsLayerError {}
