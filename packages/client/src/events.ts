import type { AccountEvent, AccountState, InboxFrame } from '@signet/protocol';
import type { KeyChange } from './contacts';
import type { ContactCard } from './content';
import type { StoredMessage } from './message-log';
import type { ConnectionState } from './realtime/connection';

/** A change to a conversation this device is in, from the inbox. */
export interface ConversationChange {
  conversationId: string;
  /** `joined`: a Welcome added us; `members`: a commit added or removed others; `removed`: we are out; `title`: renamed. */
  change: 'joined' | 'members' | 'removed' | 'title';
  by: string | null;
  added: string[];
  removed: string[];
}

/** Everything a client emits. */
export interface ClientEvents {
  /** A message received (decrypted, stored, about to be acknowledged). */
  message: StoredMessage;
  conversation: ConversationChange;
  /** Messages of ours that every device they were sent to has received (their ids, as in the message log). */
  delivered: { conversationId: string; messageIds: string[] };
  /** A member's number was learnt from another member (`contacts` content) and confirmed by the server. */
  contact: ContactCard;
  /** A contact's device keys changed: its safety number is different now. */
  keyChanged: KeyChange;
  identification: { state: AccountState; failure: string | null; deadlineAt: number | null };
  /** Every account event the server pushes (device linked, revoked, …). */
  account: AccountEvent;
  connection: { state: ConnectionState; detail?: string };
  /** Something went wrong in the background (a frame that could not be processed, a failed top-up). */
  error: { error: unknown; frame?: InboxFrame };
}
