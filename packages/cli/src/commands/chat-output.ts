import { describeContent, SignetApiError, type SignetClient, type StoredMessage } from '@signet/client/node';
import type { ChatOptions } from './chat-profile';

/** Prints JSON (one line) with --json, else the human text. */
export function print(options: ChatOptions, json: unknown, human: string | (() => string)): void {
  process.stdout.write(
    options.json ? `${JSON.stringify(json)}\n` : `${typeof human === 'function' ? human() : human}\n`,
  );
}

/** An error as the user reads it; with --json, also as a JSON line on stdout. */
export function printError(options: ChatOptions, error: unknown): void {
  const e = error as { name?: string; message?: string };
  const code = error instanceof SignetApiError ? error.code : e?.name;
  if (options.json)
    process.stdout.write(`${JSON.stringify({ error: { code, message: e?.message ?? String(error) } })}\n`);
  process.stderr.write(
    `error: ${e?.message ?? String(error)}${error instanceof SignetApiError ? ` (${error.code})` : ''}\n`,
  );
}

/** A conversation's name: its title, or the other side's number. */
export async function chatName(client: SignetClient, conversationId: string): Promise<string> {
  const c = await client.conversations.get(conversationId);
  if (!c) return conversationId.slice(0, 8);
  if (c.title) return c.title;
  if (c.peerAccountId) return client.contacts.displayName(c.peerAccountId);
  return conversationId.slice(0, 8);
}

export async function messageJson(client: SignetClient, m: StoredMessage) {
  return {
    type: 'message',
    conversationId: m.conversationId,
    chat: await chatName(client, m.conversationId),
    id: m.id,
    from: m.senderAccountId,
    fromName: await client.contacts.displayName(m.senderAccountId),
    at: m.at,
    outgoing: m.outgoing,
    content: m.content,
    ...(m.content.type === 'text' ? { text: m.content.text } : {}),
  };
}

export async function messageLine(client: SignetClient, m: StoredMessage): Promise<string> {
  const time = new Date(m.at).toLocaleTimeString();
  const who = m.outgoing ? 'me' : await client.contacts.displayName(m.senderAccountId);
  return `[${time}] ${await chatName(client, m.conversationId)} · ${who}: ${describeContent(m.content)}`;
}
