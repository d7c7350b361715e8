import {
  type CiphersuiteImpl,
  decodeExternalSender,
  type Extension,
  type ExternalSender,
  encodeExternalSender,
  type GroupContext,
  type GroupInfo,
  proposeExternal,
} from 'ts-mls';
import { SIGNET_CIPHER_SUITE } from './cipher-suite';
import { mlsMessageToBytes } from './codec';
import { MlsCodecError } from './errors';
import { type DeviceIdentity, deviceIdentityBytes, serverCredential } from './identity';

/** The server's MLS external-sender key, which every Signet group lists. Clients pin it. */
export interface ServerExternalSender {
  serverId: string;
  /** Raw Ed25519 public key. */
  signaturePublicKey: Uint8Array;
}

/**
 * The `external_senders` group-context extension naming the server (RFC 9420 §12.1.8.1).
 * ts-mls 1.6.4 encodes one ExternalSender per extension (not the RFC's vector), and resolves a sender
 * index inconsistently (position among all extensions when proposing, among external_senders when
 * verifying); Signet groups therefore carry exactly this one extension, first, so that index 0 means the
 * server either way.
 */
export function externalSendersExtension(server: ServerExternalSender): Extension {
  return {
    extensionType: 'external_senders',
    extensionData: encodeExternalSender({
      signaturePublicKey: server.signaturePublicKey,
      credential: serverCredential({ serverId: server.serverId }),
    }),
  };
}

export function groupExternalSenders(context: GroupContext): ExternalSender[] {
  return context.extensions
    .filter((e) => e.extensionType === 'external_senders')
    .map((e) => {
      const decoded = decodeExternalSender(e.extensionData, 0);
      if (decoded === undefined) throw new MlsCodecError('malformed external_senders extension');
      return decoded[0];
    });
}

/** What the server holds to sign proposals as the group's external sender. */
export interface ServerSigner extends ServerExternalSender {
  signaturePrivateKey: Uint8Array;
}

export interface ExternalRemoveTarget {
  groupId: Uint8Array;
  /** The group's current epoch, as the server's ordering knows it. */
  epoch: bigint;
  leafIndex: number;
  /** The device expected at that leaf; members refuse the proposal if the leaf holds anyone else. */
  device: DeviceIdentity;
}

/**
 * The server's Remove proposal for a device of a retired account: an MLS PublicMessage from external
 * sender 0. The server cannot read the (encrypted) ratchet tree, so it learns leaf indexes from clients;
 * the device identity travels in the proposal's authenticated_data, and members check it against the
 * leaf, so that a stale or wrong index never removes someone else.
 *
 * External proposals are signed without the group context (RFC 9420 §6.1), so the server needs only
 * group id, epoch and its own external_senders entry, not the members' GroupInfo; the other GroupInfo
 * fields ts-mls's `proposeExternal` asks for are unused and left empty.
 */
export async function createExternalRemoveProposal(
  cs: CiphersuiteImpl,
  signer: ServerSigner,
  target: ExternalRemoveTarget,
): Promise<Uint8Array> {
  const groupInfo: GroupInfo = {
    groupContext: {
      version: 'mls10',
      cipherSuite: SIGNET_CIPHER_SUITE,
      groupId: target.groupId,
      epoch: target.epoch,
      treeHash: new Uint8Array(),
      confirmedTranscriptHash: new Uint8Array(),
      extensions: [externalSendersExtension(signer)],
    },
    extensions: [],
    confirmationTag: new Uint8Array(),
    signer: 0,
    signature: new Uint8Array(),
  };
  const message = await proposeExternal(
    groupInfo,
    { proposalType: 'remove', remove: { removed: target.leafIndex } },
    signer.signaturePublicKey,
    signer.signaturePrivateKey,
    cs,
    deviceIdentityBytes(target.device),
  );
  return mlsMessageToBytes(message);
}
