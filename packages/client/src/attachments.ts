import type { SignetApi } from './api/endpoints';
import type { AttachmentRef } from './content';
import { SignetClientError } from './errors';
import { bufferSource, fromBase64url, toBase64url } from './mls/bytes';

export interface AttachmentMeta {
  name: string;
  /** Media type; `application/octet-stream` unless told. */
  type?: string;
}

/**
 * Attachments: encrypted on the device with a fresh AES-256-GCM key each, uploaded as opaque bytes;
 * the key travels only inside the MLS message (`AttachmentRef`).
 */
export class AttachmentService {
  constructor(private readonly api: SignetApi) {}

  /** Encrypts and uploads; the returned reference (key included) goes into an attachment message. */
  async upload(conversationId: string, bytes: Uint8Array, meta: AttachmentMeta): Promise<AttachmentRef> {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bufferSource(bytes)));
    const stored = await this.api.uploadAttachment(conversationId, ciphertext);
    return {
      attachmentId: stored.attachmentId,
      key: toBase64url(new Uint8Array(await crypto.subtle.exportKey('raw', key))),
      iv: toBase64url(iv),
      size: bytes.length,
      name: meta.name,
      type: meta.type ?? 'application/octet-stream',
    };
  }

  /** Downloads and decrypts; a tampered or truncated blob fails GCM's check and is refused. */
  async download(ref: AttachmentRef): Promise<Uint8Array> {
    const ciphertext = await this.api.downloadAttachment(ref.attachmentId);
    const key = await crypto.subtle.importKey('raw', bufferSource(fromBase64url(ref.key)), 'AES-GCM', false, [
      'decrypt',
    ]);
    let plaintext: Uint8Array;
    try {
      plaintext = new Uint8Array(
        await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bufferSource(fromBase64url(ref.iv)) },
          key,
          bufferSource(ciphertext),
        ),
      );
    } catch {
      throw new SignetClientError('the attachment does not decrypt: damaged, or not the one the message names');
    }
    if (plaintext.length !== ref.size) throw new SignetClientError('the attachment is not the size the message says');
    return plaintext;
  }
}
