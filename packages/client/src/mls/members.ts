import type { ClientState, LeafNode } from 'ts-mls';
import { equalBytes } from './bytes';
import { GroupPolicyError } from './errors';
import { type DeviceIdentity, parseCredentialSubject } from './identity';

/** One leaf of the group: a device, as its (server-vouched) credential names it. */
export interface GroupMember extends DeviceIdentity {
  leafIndex: number;
  signaturePublicKey: Uint8Array;
}

export function memberFromLeaf(leafIndex: number, leaf: LeafNode): GroupMember {
  const subject = parseCredentialSubject(leaf.credential);
  // The validator admits only device credentials into the tree; anything else is a broken invariant.
  if (subject?.kind !== 'device')
    throw new GroupPolicyError(`leaf ${leafIndex} does not hold a Signet device credential`);
  return {
    leafIndex,
    accountId: subject.accountId,
    deviceId: subject.deviceId,
    signaturePublicKey: leaf.signaturePublicKey,
  };
}

/** Every occupied leaf, in leaf order. Leaf i is node 2i of the ratchet tree (RFC 9420 appendix C). */
export function listMembers(state: Pick<ClientState, 'ratchetTree'>): GroupMember[] {
  const members: GroupMember[] = [];
  state.ratchetTree.forEach((node, nodeIndex) => {
    if (node?.nodeType === 'leaf') members.push(memberFromLeaf(nodeIndex / 2, node.leaf));
  });
  return members;
}

export function memberAt(state: Pick<ClientState, 'ratchetTree'>, leafIndex: number): GroupMember | undefined {
  const node = state.ratchetTree[leafIndex * 2];
  return node?.nodeType === 'leaf' ? memberFromLeaf(leafIndex, node.leaf) : undefined;
}

export function sameMember(a: GroupMember, b: GroupMember): boolean {
  return a.leafIndex === b.leafIndex && equalBytes(a.signaturePublicKey, b.signaturePublicKey);
}

/** Who joined and who left between two views of the tree. */
export function diffMembers(
  before: GroupMember[],
  after: GroupMember[],
): { added: GroupMember[]; removed: GroupMember[] } {
  return {
    added: after.filter((m) => !before.some((b) => sameMember(b, m))),
    removed: before.filter((m) => !after.some((a) => sameMember(a, m))),
  };
}
