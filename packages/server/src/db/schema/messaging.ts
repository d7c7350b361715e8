import type { Generated } from 'kysely';

export interface DeviceCredentialsTable {
  device_id: string;
  account_id: string;
  signature_key: string;
  key_id: string;
  signature: string;
  issued_at: number;
}

export interface KeyPackagesTable {
  id: Generated<number>;
  device_id: string;
  key_package: string;
  /** 1 for the package handed out when the others run out; it is never deleted by a claim. */
  last_resort: number;
  created_at: number;
}

export interface ConversationsTable {
  /** The MLS group id, base64url. */
  id: string;
  kind: 'direct' | 'group';
  /** The group's current epoch as the server has ordered commits. */
  epoch: number;
  created_by: string;
  created_at: number;
}

export interface ConversationMembersTable {
  conversation_id: string;
  account_id: string;
  joined_at: number;
}

export interface MessagesTable {
  id: Generated<number>;
  conversation_id: string;
  sender_account_id: string | null;
  sender_device_id: string | null;
  client_message_id: string | null;
  kind: 'application' | 'commit' | 'proposal' | 'welcome';
  epoch: number;
  /** Ciphertext (or an MLS handshake message), base64url: opaque to the server. */
  payload: string;
  created_at: number;
}

/** A device's inbox: `seq` counts per device, from its row in `inbox_heads`. */
export interface InboxTable {
  device_id: string;
  seq: number;
  account_id: string;
  message_id: number;
  kind: MessagesTable['kind'];
  expires_at: number;
}

/** The last inbox seq issued to each device. A send locks the rows of its recipients until it commits. */
export interface InboxHeadsTable {
  device_id: string;
  seq: number;
}

/** What makes a retried send act once: its client message id, kept after the message itself is delivered. */
export interface SendReceiptsTable {
  device_id: string;
  client_message_id: string;
  message_id: number;
  epoch: number;
  expires_at: number;
}

/** Where a device sits in a group's ratchet tree, as the committer that added it reported. */
export interface GroupLeavesTable {
  conversation_id: string;
  device_id: string;
  account_id: string;
  leaf_index: number;
}

/** A device of a retired account still in a group: the server proposes its removal until a commit applies it. */
export interface PendingRemovalsTable {
  conversation_id: string;
  device_id: string;
  account_id: string;
  leaf_index: number;
  proposed_epoch: number | null;
  created_at: number;
}

export interface BlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: number;
}

export interface AttachmentsTable {
  id: string;
  conversation_id: string;
  uploader_id: string;
  size: number;
  created_at: number;
}
