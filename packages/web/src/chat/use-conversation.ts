import type { ConversationSummary, StoredMessage } from '@signet/client';
import { type Loaded, useLoad } from '../lib/use-load';
import { useChat } from './chat-context';
import { conversationName, personName } from './names';

export interface Member {
  accountId: string;
  name: string;
  self: boolean;
  blocked: boolean;
}

/** A contact whose safety number changed since the user last looked at it. */
export interface KeyChangeNotice {
  accountId: string;
  name: string;
  changedAt: number;
}

export interface ConversationData {
  summary: ConversationSummary;
  name: string;
  members: Member[];
  messages: StoredMessage[];
  /** Names of everyone who wrote, members or not any more. */
  names: Map<string, string>;
  keyChanges: KeyChangeNotice[];
  /** A direct conversation's other side. */
  peer: Member | undefined;
}

/** Everything a conversation's pages show, reloaded whenever the SDK or the app reports a change. */
export function useConversation(conversationId: string): Loaded<ConversationData | null> {
  const { state, revision } = useChat();
  return useLoad(async () => {
    const { client } = state;
    const summary = await client.conversations.get(conversationId);
    if (!summary) return null;
    const self = client.session.require().accountId;
    // The block list is the server's: without it (offline) the conversation still shows.
    const blocked = new Set((await state.blocked().catch(() => [])).map((b) => b.accountId));
    const messages = await client.conversations.messages(conversationId);
    const names = new Map<string, string>();
    const ids = new Set([...summary.members, ...messages.map((m) => m.senderAccountId)]);
    if (summary.peerAccountId) ids.add(summary.peerAccountId);
    for (const id of ids) names.set(id, await personName(client, id));
    const members = summary.members
      .map((accountId) => ({
        accountId,
        name: names.get(accountId) ?? accountId,
        self: accountId === self,
        blocked: blocked.has(accountId),
      }))
      .sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
    const peerId = summary.peerAccountId;
    const peer = peerId
      ? (members.find((m) => m.accountId === peerId) ?? {
          accountId: peerId,
          name: names.get(peerId) ?? peerId,
          self: false,
          blocked: blocked.has(peerId),
        })
      : undefined;
    const keyChanges: KeyChangeNotice[] = [];
    for (const m of members) {
      if (m.self) continue;
      const contact = await client.contacts.get(m.accountId);
      const changedAt = contact?.keysChangedAt;
      if (changedAt && changedAt > (await state.keyChangeSeen(m.accountId))) {
        keyChanges.push({ accountId: m.accountId, name: m.name, changedAt });
      }
    }
    return { summary, name: await conversationName(client, summary), members, messages, names, keyChanges, peer };
  }, [state, revision, conversationId]);
}
