import type { Credential, CredentialBasic } from 'ts-mls';
import { fromUtf8, utf8 } from './bytes';

/** The same alphabet as the protocol's `Id`: it cannot hold the `|` that separates fields below. */
const ID = '[A-Za-z0-9_-]{1,64}';
const DEVICE_IDENTITY = new RegExp(`^signet-device-v1\\|(${ID})\\|(${ID})$`);
const SERVER_IDENTITY = new RegExp(`^signet-server-v1\\|(${ID})$`);

export interface DeviceIdentity {
  accountId: string;
  deviceId: string;
}

/** The server acting as an MLS external sender (RFC 9420 §12.1.8.1). */
export interface ServerIdentity {
  serverId: string;
}

export type CredentialSubject = ({ kind: 'device' } & DeviceIdentity) | ({ kind: 'server' } & ServerIdentity);

export function isValidId(id: string): boolean {
  return new RegExp(`^${ID}$`).test(id);
}

/**
 * A device's MLS credential: a `basic` credential whose identity is the UTF-8 text
 * `signet-device-v1|<accountId>|<deviceId>`. Text rather than JSON because it has exactly one spelling
 * (no key order, no whitespace, no escapes), so that equal identities are equal bytes; it also mirrors
 * the server's binding string `signet-credential-v1|accountId|deviceId|key`. The credential alone proves
 * nothing: the server's binding signature over (account, device, signature key) does, see `CredentialValidator`.
 */
export function deviceCredential(device: DeviceIdentity): CredentialBasic {
  if (!isValidId(device.accountId) || !isValidId(device.deviceId)) {
    throw new TypeError(`invalid account or device id: ${device.accountId}/${device.deviceId}`);
  }
  return { credentialType: 'basic', identity: deviceIdentityBytes(device) };
}

export function deviceIdentityBytes(device: DeviceIdentity): Uint8Array {
  return utf8(`signet-device-v1|${device.accountId}|${device.deviceId}`);
}

/** The credential the server signs its external proposals under: `signet-server-v1|<serverId>`. */
export function serverCredential(server: ServerIdentity): CredentialBasic {
  if (!isValidId(server.serverId)) throw new TypeError(`invalid server id: ${server.serverId}`);
  return { credentialType: 'basic', identity: utf8(`signet-server-v1|${server.serverId}`) };
}

/** Reads who a credential names; undefined for anything that is not exactly one of Signet's two forms. */
export function parseCredentialSubject(credential: Credential): CredentialSubject | undefined {
  if (credential.credentialType !== 'basic') return undefined;
  return parseIdentityBytes(credential.identity);
}

export function parseIdentityBytes(identity: Uint8Array): CredentialSubject | undefined {
  let text: string;
  try {
    text = fromUtf8(identity);
  } catch {
    return undefined;
  }
  const device = DEVICE_IDENTITY.exec(text);
  if (device) return { kind: 'device', accountId: device[1]!, deviceId: device[2]! };
  const server = SERVER_IDENTITY.exec(text);
  if (server) return { kind: 'server', serverId: server[1]! };
  return undefined;
}

export function describeSubject(subject: CredentialSubject): string {
  return subject.kind === 'device' ? `${subject.accountId}/${subject.deviceId}` : `server ${subject.serverId}`;
}
