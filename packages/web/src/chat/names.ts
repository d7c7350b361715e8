import { type ConversationRecord, describeContent, type SignetClient, type StoredMessage } from '@signet/client';
import { formatPhone } from '../lib/phone';

/** A person as this device knows them: "You", their number, or (until a member tells it) a short account id. */
export async function personName(client: SignetClient, accountId: string): Promise<string> {
  if (accountId === client.session.current?.accountId) return 'You';
  const phone = (await client.contacts.get(accountId))?.phoneNumber;
  return phone ? formatPhone(phone) : `Unknown contact ${accountId.slice(0, 6)}`;
}

/** A conversation's name: the other side's number, or the group's title. */
export async function conversationName(client: SignetClient, c: ConversationRecord): Promise<string> {
  if (c.kind === 'direct') return c.peerAccountId ? personName(client, c.peerAccountId) : 'Direct conversation';
  return c.title ?? 'Group';
}

/** One line about a message for the chat list: what it says or which file it carries, and in a group who wrote it. */
export async function messagePreview(client: SignetClient, c: ConversationRecord, message: StoredMessage) {
  const { content } = message;
  const text = content.type === 'attachment' ? `File: ${content.attachment.name}` : describeContent(content);
  if (message.outgoing) return `You: ${text}`;
  return c.kind === 'group' ? `${await personName(client, message.senderAccountId)}: ${text}` : text;
}
