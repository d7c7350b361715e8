import { type CiphersuiteImpl, type CiphersuiteName, getCiphersuiteFromName, getCiphersuiteImpl } from 'ts-mls';

/**
 * RFC 9420's mandatory-to-implement suite (0x0001): X25519 HPKE, AES-128-GCM, SHA-256, Ed25519 signatures.
 * ts-mls runs it on Web Crypto alone (Node 20 and current browsers), with no optional dependency; Ed25519
 * also matches the server's credential signatures.
 */
export const SIGNET_CIPHER_SUITE = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519' satisfies CiphersuiteName;

export function loadCipherSuite(): Promise<CiphersuiteImpl> {
  return getCiphersuiteImpl(getCiphersuiteFromName(SIGNET_CIPHER_SUITE));
}
