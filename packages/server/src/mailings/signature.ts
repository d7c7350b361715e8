import { createPublicKey, verify } from 'node:crypto';
import { type NoticeContent, noticeStringToSign } from '@signet/protocol';

/** Whether `signature` is the authority's Ed25519 signature (key: raw 32 bytes, base64url) over the notice. */
export function noticeSignatureVerifies(
  publicKey: string,
  authorityId: string,
  notice: NoticeContent,
  signature: string,
): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    const text = noticeStringToSign(authorityId, notice);
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
