import { ContentError } from './errors';
import { randomId } from './util/ids';

/** What an attachment message carries: where the ciphertext is and the key that opens it. */
export interface AttachmentRef {
  attachmentId: string;
  /** AES-256-GCM key, base64url. */
  key: string;
  /** GCM nonce (12 bytes), base64url. */
  iv: string;
  /** Plaintext size in bytes. */
  size: number;
  name: string;
  /** Media type, e.g. `image/png`. */
  type: string;
}

interface Base {
  /** Unique per sender device: it is also the server's clientMessageId, and what replays are recognised by. */
  id: string;
  /** The sender's clock, milliseconds. */
  sentAt: number;
}

/** A member's phone number as the sender knows it: a claim, checked against the server's lookup before use. */
export interface ContactCard {
  accountId: string;
  phoneNumber: string;
}

/**
 * The plaintext of an MLS application message: small JSON. `group.info` tells members (new ones
 * especially) a group's title; `contacts` tells them the members' numbers (the server never says which
 * number an account has). Neither is shown as a message.
 */
export type MessageContent =
  | (Base & { type: 'text'; text: string })
  | (Base & { type: 'attachment'; attachment: AttachmentRef; caption?: string })
  | (Base & { type: 'group.info'; title: string })
  | (Base & { type: 'contacts'; contacts: ContactCard[] });

export type ContentInput =
  | { type: 'text'; text: string }
  | { type: 'attachment'; attachment: AttachmentRef; caption?: string }
  | { type: 'group.info'; title: string }
  | { type: 'contacts'; contacts: ContactCard[] };

const MAX_TEXT = 64 * 1024;
const MAX_CARDS = 1000;

/** Content that is about the conversation rather than a message to show (kept out of the message log). */
export function isControlContent(content: MessageContent | ContentInput): boolean {
  return content.type === 'group.info' || content.type === 'contacts';
}

export function newContent(input: ContentInput, now = Date.now()): MessageContent {
  return { ...input, id: randomId(), sentAt: now } as MessageContent;
}

export function encodeContent(content: MessageContent): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(content));
}

/** Parses and checks the shape; anything else is a `ContentError` (never shown as a message). */
export function decodeContent(bytes: Uint8Array): MessageContent {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ContentError('message content is not JSON');
  }
  const c = value as Record<string, unknown>;
  if (typeof c !== 'object' || c === null) throw new ContentError('message content is not an object');
  if (typeof c.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(c.id)) throw new ContentError('bad message id');
  if (typeof c.sentAt !== 'number' || !Number.isFinite(c.sentAt)) throw new ContentError('bad sentAt');
  switch (c.type) {
    case 'text':
      if (typeof c.text !== 'string' || c.text.length > MAX_TEXT) throw new ContentError('bad text');
      return { type: 'text', id: c.id, sentAt: c.sentAt, text: c.text };
    case 'attachment': {
      const a = c.attachment as Record<string, unknown> | undefined;
      const ok =
        typeof a === 'object' &&
        a !== null &&
        typeof a.attachmentId === 'string' &&
        typeof a.key === 'string' &&
        typeof a.iv === 'string' &&
        typeof a.size === 'number' &&
        typeof a.name === 'string' &&
        typeof a.type === 'string';
      if (!ok) throw new ContentError('bad attachment');
      const attachment = a as unknown as AttachmentRef;
      return {
        type: 'attachment',
        id: c.id,
        sentAt: c.sentAt,
        attachment: {
          attachmentId: attachment.attachmentId,
          key: attachment.key,
          iv: attachment.iv,
          size: attachment.size,
          name: attachment.name,
          type: attachment.type,
        },
        ...(typeof c.caption === 'string' ? { caption: c.caption } : {}),
      };
    }
    case 'group.info':
      if (typeof c.title !== 'string' || c.title.length > 200) throw new ContentError('bad title');
      return { type: 'group.info', id: c.id, sentAt: c.sentAt, title: c.title };
    case 'contacts': {
      const cards = c.contacts;
      const ok = Array.isArray(cards) && cards.length <= MAX_CARDS && cards.every(isCard);
      if (!ok) throw new ContentError('bad contacts');
      const contacts = (cards as ContactCard[]).map((k) => ({ accountId: k.accountId, phoneNumber: k.phoneNumber }));
      return { type: 'contacts', id: c.id, sentAt: c.sentAt, contacts };
    }
    default:
      throw new ContentError(`unknown content type ${String(c.type)}`);
  }
}

/** One line a user can read: the text, or the attachment's name. */
export function describeContent(content: MessageContent): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'attachment':
      return `[${content.attachment.name}, ${content.attachment.size} bytes]${content.caption ? ` ${content.caption}` : ''}`;
    case 'group.info':
      return `[group: ${content.title}]`;
    case 'contacts':
      return `[contacts: ${content.contacts.map((k) => k.phoneNumber).join(', ')}]`;
  }
}

function isCard(value: unknown): boolean {
  const k = value as Record<string, unknown>;
  return (
    typeof k === 'object' &&
    k !== null &&
    typeof k.accountId === 'string' &&
    /^[A-Za-z0-9_-]{1,64}$/.test(k.accountId) &&
    typeof k.phoneNumber === 'string' &&
    /^\+[1-9][0-9]{4,14}$/.test(k.phoneNumber)
  );
}
