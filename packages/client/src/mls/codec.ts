import {
  type ContentTypeName,
  decodeMlsMessage,
  encodeMlsMessage,
  type GroupInfo,
  type KeyPackage,
  type MLSMessage,
  type Welcome,
} from 'ts-mls';
import { MlsCodecError } from './errors';

/** One MLS message (RFC 9420 §6) to its TLS wire bytes: what the server stores and forwards as an opaque blob. */
export function mlsMessageToBytes(message: MLSMessage): Uint8Array {
  return encodeMlsMessage(message);
}

/** Parses a whole MLSMessage; trailing bytes or a malformed structure are errors, never ignored. */
export function mlsMessageFromBytes(bytes: Uint8Array): MLSMessage {
  let decoded: [MLSMessage, number] | undefined;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (err) {
    throw new MlsCodecError(`not an MLS message: ${(err as Error).message}`);
  }
  if (decoded === undefined) throw new MlsCodecError('not an MLS message');
  if (decoded[1] !== bytes.length) throw new MlsCodecError('trailing bytes after the MLS message');
  return decoded[0];
}

export function keyPackageToBytes(keyPackage: KeyPackage): Uint8Array {
  return mlsMessageToBytes({ version: 'mls10', wireformat: 'mls_key_package', keyPackage });
}

export function keyPackageFromBytes(bytes: Uint8Array): KeyPackage {
  const message = mlsMessageFromBytes(bytes);
  if (message.wireformat !== 'mls_key_package')
    throw new MlsCodecError(`expected a KeyPackage, got ${message.wireformat}`);
  return message.keyPackage;
}

export function welcomeToBytes(welcome: Welcome): Uint8Array {
  return mlsMessageToBytes({ version: 'mls10', wireformat: 'mls_welcome', welcome });
}

export function welcomeFromBytes(bytes: Uint8Array): Welcome {
  const message = mlsMessageFromBytes(bytes);
  if (message.wireformat !== 'mls_welcome') throw new MlsCodecError(`expected a Welcome, got ${message.wireformat}`);
  return message.welcome;
}

export function groupInfoToBytes(groupInfo: GroupInfo): Uint8Array {
  return mlsMessageToBytes({ version: 'mls10', wireformat: 'mls_group_info', groupInfo });
}

export function groupInfoFromBytes(bytes: Uint8Array): GroupInfo {
  const message = mlsMessageFromBytes(bytes);
  if (message.wireformat !== 'mls_group_info')
    throw new MlsCodecError(`expected a GroupInfo, got ${message.wireformat}`);
  return message.groupInfo;
}

/** What anyone, the server included, can read of a group message without keys. */
export interface MlsMessageHeader {
  wireformat: 'mls_private_message' | 'mls_public_message';
  groupId: Uint8Array;
  epoch: bigint;
  contentType: ContentTypeName;
}

/** The clear header of a handshake or application message, for routing (group, epoch, kind). */
export function readMessageHeader(message: MLSMessage): MlsMessageHeader {
  switch (message.wireformat) {
    case 'mls_private_message': {
      const { groupId, epoch, contentType } = message.privateMessage;
      return { wireformat: message.wireformat, groupId, epoch, contentType };
    }
    case 'mls_public_message': {
      const { groupId, epoch, contentType } = message.publicMessage.content;
      return { wireformat: message.wireformat, groupId, epoch, contentType };
    }
    default:
      throw new MlsCodecError(`${message.wireformat} is not a group message`);
  }
}
