import { AUTHORITY_HEADERS, authorityStringToSign, type NoticeContent, noticeStringToSign } from '@signet/protocol';
import { fromBase64url, toBase64url } from '../mls/bytes';

/**
 * Signs authority API requests with the authority's Ed25519 key through WebCrypto, so that the same code
 * runs in the browser (the authority console) and in Node (tests, the `signet` command).
 */

/** What `signet authority create` hands out once: the authority's id and its private key. */
export interface AuthorityCredential {
  type: 'signet-authority-credential';
  version: 1;
  authorityId: string;
  name: string;
  roles: string[];
  /** The Ed25519 private key, PKCS#8 DER in base64url. */
  privateKey: string;
  /** The public key the server holds, 32 bytes in base64url. */
  publicKey: string;
}

export type SignedHeaders = Record<(typeof AUTHORITY_HEADERS)[keyof typeof AUTHORITY_HEADERS], string>;

export interface SignOptions {
  /** Milliseconds since the epoch; default now. */
  now?: number;
  /** Default: 24 random bytes in base64url. */
  nonce?: string;
}

const encoder = new TextEncoder();

export class AuthoritySigner {
  private constructor(
    readonly authorityId: string,
    private readonly key: CryptoKey,
  ) {}

  static async fromCredential(credential: Pick<AuthorityCredential, 'authorityId' | 'privateKey'>) {
    return AuthoritySigner.fromPkcs8(credential.authorityId, fromBase64url(credential.privateKey));
  }

  static async fromPkcs8(authorityId: string, pkcs8: Uint8Array): Promise<AuthoritySigner> {
    const key = await crypto.subtle.importKey('pkcs8', pkcs8 as BufferSource, { name: 'Ed25519' }, false, ['sign']);
    return new AuthoritySigner(authorityId, key);
  }

  /** The four Signet-* headers for a request; `target` is the path and query exactly as they will be sent. */
  async sign(
    method: string,
    target: string,
    body: string | Uint8Array | undefined,
    options: SignOptions = {},
  ): Promise<SignedHeaders> {
    const timestamp = Math.floor((options.now ?? Date.now()) / 1000);
    const nonce = options.nonce ?? toBase64url(crypto.getRandomValues(new Uint8Array(24)));
    const bytes = typeof body === 'string' ? encoder.encode(body) : (body ?? new Uint8Array(0));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
    const text = authorityStringToSign({
      method,
      target,
      authorityId: this.authorityId,
      timestamp,
      nonce,
      bodySha256: toHex(digest),
    });
    const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, this.key, encoder.encode(text)));
    return {
      [AUTHORITY_HEADERS.authority]: this.authorityId,
      [AUTHORITY_HEADERS.timestamp]: String(timestamp),
      [AUTHORITY_HEADERS.nonce]: nonce,
      [AUTHORITY_HEADERS.signature]: toBase64url(signature),
    } as SignedHeaders;
  }

  /** The signature of a notice for `POST /authority/v1/mailings`: Ed25519 over `noticeStringToSign`, base64url. */
  async signNotice(notice: NoticeContent): Promise<string> {
    const text = noticeStringToSign(this.authorityId, notice);
    return toBase64url(new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, this.key, encoder.encode(text))));
  }
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
