import {
  type CreateRestrictionOrder,
  type LegalBasis,
  RESTRICTION_ACTIONS,
  RESTRICTION_TARGET_TYPES,
  type RestrictionAction,
  type RestrictionTarget,
  type RestrictionTargetInput,
  type RestrictionTargetType,
} from '@signet/protocol';
import { parseLegalBasis, requiredText } from '../authority/legal-basis';
import { invalidArgument } from '../errors';

/** An order as checked: every part valid, the target in its one shape. */
export interface ParsedOrder {
  legalBasis: LegalBasis;
  target: RestrictionTarget;
  /** How the target is stored: the post number in decimal, an id, or the lower-case SHA-256. */
  targetKey: string;
  action: RestrictionAction;
  expiresAt: number | null;
  notice: { withheld: boolean; legalGround: string | null };
}

/** The one field each target type takes, and what it is. */
const FIELDS: Record<RestrictionTargetType, [field: keyof RestrictionTargetInput, what: string]> = {
  channel_post: ['postId', "the post's number (postId of the channel post)"],
  channel: ['channelId', "the channel's id, such as ch_…"],
  account_sending: ['accountId', 'an account id, such as acc_…'],
  account_reach: ['accountId', 'an account id, such as acc_…'],
  content_fingerprint: ['sha256', 'the SHA-256 of the text in 64 hex digits'],
};

/** What an order could name only by reading end-to-end encrypted content, which the server cannot do. */
const ENCRYPTED_TYPES = new Set(['message', 'messages', 'conversation', 'chat', 'private_chat', 'group', 'attachment']);
const ENCRYPTED_FIELDS = ['conversationId', 'messageId', 'attachmentId', 'groupId'];
const ENCRYPTED_REFUSAL =
  'end-to-end encrypted conversations, messages and attachments cannot be the target of an order: the server ' +
  'cannot read them. Private chats are restricted at the account level: target account_sending or account_reach';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ACCOUNT_ID = /^acc_[A-Za-z0-9_-]{1,64}$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;

/** Checks an order as sent; throws a 400 that says what is wrong and what is expected. */
export function parseOrder(input: CreateRestrictionOrder, now: number): ParsedOrder {
  const legalBasis = parseLegalBasis(input.legalBasis);
  const { target, targetKey } = parseTarget(input.target);
  const action = RESTRICTION_ACTIONS[target.type];
  if (input.action !== action) {
    throw invalidArgument(
      `action must be "${action}" for a ${target.type} target; "${input.action}" is not its action`,
    );
  }
  if (input.expiresAt !== undefined && input.expiresAt <= now) {
    throw invalidArgument(
      `expiresAt must be in the future, in milliseconds since the epoch (now is ${now}); leave it out for an order until revoked`,
    );
  }
  const notice = input.notice ?? { withheld: false };
  if (!notice.withheld && notice.legalGround !== undefined) {
    throw invalidArgument('notice.legalGround goes only with notice.withheld: true');
  }
  if (notice.withheld && notice.legalGround === undefined) {
    throw invalidArgument('notice.legalGround is required when notice is withheld: the legal ground for not telling');
  }
  return {
    legalBasis,
    target,
    targetKey,
    action,
    expiresAt: input.expiresAt ?? null,
    notice: {
      withheld: notice.withheld,
      legalGround: notice.withheld ? requiredText('notice.legalGround', notice.legalGround ?? '') : null,
    },
  };
}

function parseTarget(input: RestrictionTargetInput): { target: RestrictionTarget; targetKey: string } {
  const fields = Object.keys(input).filter((k) => k !== 'type');
  if (ENCRYPTED_TYPES.has(input.type.toLowerCase()) || fields.some((f) => ENCRYPTED_FIELDS.includes(f))) {
    throw invalidArgument(ENCRYPTED_REFUSAL);
  }
  if (!(RESTRICTION_TARGET_TYPES as readonly string[]).includes(input.type)) {
    throw invalidArgument(`target.type must be one of ${RESTRICTION_TARGET_TYPES.join(', ')}`);
  }
  const type = input.type as RestrictionTargetType;
  const [field, what] = FIELDS[type];
  const extra = fields.filter((f) => f !== field);
  if (extra.length > 0) {
    throw invalidArgument(`a ${type} target takes only target.${field} (${what}); remove ${extra.join(', ')}`);
  }
  const value = input[field];
  if (value === undefined) throw invalidArgument(`target.${field} is required for a ${type} target: ${what}`);
  const malformed = () => invalidArgument(`target.${field} must be ${what}`);
  switch (type) {
    case 'channel_post': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw malformed();
      return { target: { type, postId: value }, targetKey: String(value) };
    }
    case 'channel':
      if (typeof value !== 'string' || !ID.test(value)) throw malformed();
      return { target: { type, channelId: value }, targetKey: value };
    case 'account_sending':
    case 'account_reach':
      if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) throw malformed();
      return { target: { type, accountId: value }, targetKey: value };
    case 'content_fingerprint': {
      if (typeof value !== 'string' || !SHA256.test(value)) throw malformed();
      const sha256 = value.toLowerCase();
      return { target: { type, sha256 }, targetKey: sha256 };
    }
  }
}
