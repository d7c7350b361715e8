import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ChatState } from './chat-state';

export interface ChatContextValue {
  state: ChatState;
  /** Whether this tab may change conversations (false while another tab runs the device, or before identification). */
  writable: boolean;
}

export const ChatContext = createContext<ChatContextValue | undefined>(undefined);

export function useChat(): ChatContextValue & { revision: number } {
  const value = useContext(ChatContext);
  if (!value) throw new Error('useChat outside the chat screens');
  const revision = useSyncExternalStore(value.state.subscribe, value.state.revision);
  return { ...value, revision };
}
