import { type Static, Type } from 'typebox';
import { E164, Id, Millis, PhoneInput } from '../common';

/** Opaque bytes in base64url: MLS messages, KeyPackages, attachments' keys travel inside them. */
export const Blob64 = (maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9_-]*$', minLength: 1, maxLength });

/** A conversation's id is its MLS group id, in base64url. */
export const ConversationId = Type.String({ pattern: '^[A-Za-z0-9_-]{16,128}$' });

// --- Authentication Service: credentials that bind an MLS signature key to an account's device.

export const RequestCredential = Type.Object({ signatureKey: Blob64(256) }, { additionalProperties: false });
export type RequestCredential = Static<typeof RequestCredential>;

export const DeviceCredential = Type.Object({
  accountId: Id,
  deviceId: Id,
  signatureKey: Type.String(),
  /** Which server key signed it. */
  keyId: Id,
  /** Ed25519 over `signet-credential-v1|accountId|deviceId|signatureKey`, base64url. */
  signature: Type.String(),
  issuedAt: Millis,
});
export type DeviceCredential = Static<typeof DeviceCredential>;

export const ServerKey = Type.Object({
  keyId: Id,
  algorithm: Type.Literal('Ed25519'),
  /** Raw public key, base64url. */
  publicKey: Type.String(),
  createdAt: Millis,
  /** A retired key verifies old credentials but signs no new ones. */
  retiredAt: Type.Union([Millis, Type.Null()]),
});
/** The server's MLS external-sender key (RFC 9420 §12.1.8.1): every group lists it; clients pin it. */
export const ExternalSenderKey = Type.Object({
  serverId: Id,
  /** Raw Ed25519 public key, base64url. */
  publicKey: Type.String(),
});
export type ExternalSenderKey = Static<typeof ExternalSenderKey>;

export const ServerKeys = Type.Object({
  keys: Type.Array(ServerKey),
  externalSender: Type.Optional(ExternalSenderKey),
});
export type ServerKeys = Static<typeof ServerKeys>;

/** The credentials of an account's devices, so that members can check the leaves of a group they are in. */
export const AccountCredentialsParams = Type.Object({ accountId: Id });
export const AccountCredentials = Type.Object({ accountId: Id, devices: Type.Array(DeviceCredential) });
export type AccountCredentials = Static<typeof AccountCredentials>;

// --- Key directory.

export const UploadKeyPackages = Type.Object(
  {
    keyPackages: Type.Array(Blob64(16_384), { maxItems: 100 }),
    lastResort: Type.Optional(Blob64(16_384)),
  },
  { additionalProperties: false },
);
export type UploadKeyPackages = Static<typeof UploadKeyPackages>;

export const KeyPackageStock = Type.Object({
  count: Type.Integer(),
  hasLastResort: Type.Boolean(),
  /** Below this the client should upload more. */
  lowWater: Type.Integer(),
});
export type KeyPackageStock = Static<typeof KeyPackageStock>;

export const ClaimKeyPackages = Type.Object({ accountId: Id }, { additionalProperties: false });
export const ClaimedKeyPackages = Type.Object({
  accountId: Id,
  devices: Type.Array(
    Type.Object({ deviceId: Id, keyPackage: Type.String(), lastResort: Type.Boolean(), credential: DeviceCredential }),
  ),
});
export type ClaimedKeyPackages = Static<typeof ClaimedKeyPackages>;

// --- Finding a user.

export const LookupUser = Type.Object({ phoneNumber: PhoneInput }, { additionalProperties: false });
export const LookupResult = Type.Object({
  phoneNumber: E164,
  /** Only whether an identified account exists, and its id to start a conversation. */
  exists: Type.Boolean(),
  accountId: Type.Union([Id, Type.Null()]),
});
export type LookupResult = Static<typeof LookupResult>;

// --- Conversations.

export const ConversationKind = Type.Union([Type.Literal('direct'), Type.Literal('group')]);

export const CreateConversation = Type.Object(
  { conversationId: ConversationId, kind: ConversationKind, title: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export type CreateConversation = Static<typeof CreateConversation>;

export const Conversation = Type.Object({
  conversationId: ConversationId,
  kind: ConversationKind,
  epoch: Type.Integer({ minimum: 0 }),
  members: Type.Array(Id),
  createdAt: Millis,
});
export type Conversation = Static<typeof Conversation>;
export const ConversationList = Type.Object({ conversations: Type.Array(Conversation) });

export const ConversationParams = Type.Object({ conversationId: ConversationId });

export const MessageKind = Type.Union([Type.Literal('application'), Type.Literal('commit'), Type.Literal('proposal')]);
export type MessageKind = Static<typeof MessageKind>;

/** Where a commit put a device it adds in the group's ratchet tree. */
export const DeviceLeaf = Type.Object(
  { deviceId: Id, leafIndex: Type.Integer({ minimum: 0, maximum: 65_535 }) },
  { additionalProperties: false },
);
export type DeviceLeaf = Static<typeof DeviceLeaf>;

export const SendMessage = Type.Object(
  {
    /** The client's id for this send: a retry with the same id acts once. */
    clientMessageId: Id,
    kind: MessageKind,
    /** The epoch the message was made in; a commit must name the current one. */
    epoch: Type.Integer({ minimum: 0 }),
    payload: Blob64(1_500_000),
    /** Accounts a commit adds; their devices get the Welcome. */
    add: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    /** Accounts a commit removes. */
    remove: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    welcome: Type.Optional(Blob64(1_500_000)),
    /**
     * Where a commit put the devices it adds in the group's ratchet tree, which the server cannot read. The
     * server needs a device's leaf to propose its removal when its account is retired.
     */
    leaves: Type.Optional(Type.Array(DeviceLeaf, { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type SendMessage = Static<typeof SendMessage>;

export const MessageAccepted = Type.Object({
  messageId: Type.Integer(),
  epoch: Type.Integer(),
  duplicate: Type.Boolean(),
});
export type MessageAccepted = Static<typeof MessageAccepted>;

// --- Blocking.

export const BlockParams = Type.Object({ accountId: Id });
export const BlockList = Type.Object({ blocked: Type.Array(Type.Object({ accountId: Id, at: Millis })) });
export type BlockList = Static<typeof BlockList>;

// --- Attachments.

export const AttachmentQuery = Type.Object({ conversationId: ConversationId }, { additionalProperties: false });
export const AttachmentParams = Type.Object({ attachmentId: Id });
export const AttachmentStored = Type.Object({ attachmentId: Id, size: Type.Integer() });
export type AttachmentStored = Static<typeof AttachmentStored>;
