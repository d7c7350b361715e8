import type { ConversationSummary } from '@signet/client';
import { type Loaded, useLoad } from '../lib/use-load';
import { useChat } from './chat-context';
import { conversationName, messagePreview } from './names';

export interface ChatEntry {
  summary: ConversationSummary;
  name: string;
  unread: number;
  /** The last message, in a line. */
  preview: string | undefined;
}

/** The conversations on this device, newest activity first, with their unread counts. */
export function useChatList(): Loaded<ChatEntry[]> {
  const { state, revision } = useChat();
  return useLoad(async () => {
    const { client } = state;
    const entries: ChatEntry[] = [];
    for (const summary of await client.conversations.list()) {
      const messages = await client.conversations.messages(summary.conversationId);
      entries.push({
        summary,
        name: await conversationName(client, summary),
        unread: await state.unread(summary.conversationId, messages),
        preview: summary.lastMessage && (await messagePreview(client, summary, summary.lastMessage)),
      });
    }
    return entries;
  }, [state, revision]);
}
