import { createGroup as createMlsGroup, emptyPskIndex, joinGroup } from 'ts-mls';
import { equalBytes, randomBytes, toBase64url } from './bytes';
import { welcomeFromBytes } from './codec';
import type { MlsContext } from './context';
import type { DeviceKeys } from './device-keys';
import { GroupPolicyError, NoMatchingKeyPackageError } from './errors';
import { externalSendersExtension, groupExternalSenders } from './external-sender';
import { MlsGroup } from './group';
import { decodeGroupSnapshot } from './group-state';
import { parseCredentialSubject } from './identity';
import { explainTsMlsError } from './incoming';
import { generateKeyPackage, type KeyPackageBundle } from './key-packages';

export const GROUP_ID_BYTES = 16;

/**
 * A new group (epoch 0) with this device as its only member and the server as its one external sender.
 * The group id is random (16 bytes unless given): it is also the conversation id.
 */
export async function createGroup(
  ctx: MlsContext,
  device: DeviceKeys,
  options: { groupId?: Uint8Array } = {},
): Promise<MlsGroup> {
  const groupId = options.groupId ?? randomBytes(GROUP_ID_BYTES);
  if (groupId.length < GROUP_ID_BYTES) throw new RangeError(`a group id has at least ${GROUP_ID_BYTES} bytes`);
  // Our own leaf comes from a KeyPackage that is never published.
  const own = await generateKeyPackage(ctx.cipherSuite, device, false);
  const state = await createMlsGroup(
    groupId,
    own.keyPackage,
    own.privateKeys,
    [externalSendersExtension(ctx.server)],
    ctx.cipherSuite,
    ctx.clientConfig,
  );
  return new MlsGroup(ctx, state);
}

/**
 * Joins from a Welcome, opening it with whichever stored KeyPackage it names. ts-mls checks the tree,
 * the signatures and (through the context's validator) every member's credential; this checks that the
 * group lists exactly the pinned server as external sender. The caller deletes the KeyPackage returned
 * unless it is the last-resort one.
 */
export async function joinGroupFromWelcome(
  ctx: MlsContext,
  welcomeBytes: Uint8Array,
  candidates: KeyPackageBundle[],
): Promise<{ group: MlsGroup; keyPackage: KeyPackageBundle }> {
  const welcome = welcomeFromBytes(welcomeBytes);
  const named = new Set(welcome.secrets.map((s) => toBase64url(s.newMember)));
  const keyPackage = candidates.find((c) => named.has(c.ref));
  if (keyPackage === undefined) throw new NoMatchingKeyPackageError('no stored KeyPackage matches this Welcome');
  const state = await joinGroup(
    welcome,
    keyPackage.keyPackage,
    keyPackage.privateKeys,
    emptyPskIndex,
    ctx.cipherSuite,
    undefined,
    undefined,
    ctx.clientConfig,
  ).catch((err) => {
    throw explainTsMlsError(err);
  });
  const senders = groupExternalSenders(state.groupContext);
  const onlyServer =
    senders.length === 1 &&
    equalBytes(senders[0]!.signaturePublicKey, ctx.server.signaturePublicKey) &&
    parseCredentialSubject(senders[0]!.credential)?.kind === 'server';
  if (!onlyServer) throw new GroupPolicyError('the group does not list exactly the Signet server as external sender');
  return { group: new MlsGroup(ctx, state), keyPackage };
}

/** A group from `MlsGroup.serialize()` bytes, pending commit included. */
export function restoreGroup(ctx: MlsContext, bytes: Uint8Array): MlsGroup {
  const { state, pending } = decodeGroupSnapshot(bytes, ctx.clientConfig);
  return new MlsGroup(ctx, state, pending);
}
