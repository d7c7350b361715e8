import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { ChatContext, type ChatContextValue } from '../chat/chat-context';
import { ChatLayout } from '../chat/chat-layout';
import { ChatState } from '../chat/chat-state';
import { ConversationInfo } from '../chat/conversation-info';
import { ConversationView } from '../chat/conversation-view';
import { NewChat } from '../chat/new-chat';
import { Notice } from '../components/notice';
import { IdentificationView } from '../identification/identification-view';
import { useIdentification } from '../identification/use-identification';
import { navigate, routeConversation, useRoute } from '../lib/router';
import { useSession } from '../lib/session-context';
import { useDeviceConnection } from '../lib/use-device-connection';
import { Settings } from '../settings/settings';
import { Header } from './header';
import { Notices } from './notices';

/** The signed-in app: header and navigation, and the page the address names. */
export function Home({ note }: { note?: string | undefined }) {
  const { client, store } = useSession();
  const connection = useDeviceConnection();
  const identification = useIdentification(connection.state);
  const route = useRoute();
  const state = identification.status?.state;
  const identified = state === 'identified';
  const [shownNote, setShownNote] = useState(note);
  const firstRoute = useRef(route);
  const chatState = useMemo(() => new ChatState(client, store), [client, store]);
  const chat = useMemo<ChatContextValue>(
    () => ({ state: chatState, writable: connection.active && identified }),
    [chatState, connection.active, identified],
  );

  // The note is about how the user got here: it goes once they move on.
  useEffect(() => {
    if (route !== firstRoute.current && route !== '/identification') setShownNote(undefined);
  }, [route]);

  // Until the account is identified, the way in is its identification status.
  useEffect(() => {
    if (route === '/' && state !== undefined && !identified) navigate('/identification', { replace: true });
  }, [route, state, identified]);

  const conversation = routeConversation(route);
  let page: ReactNode;
  let wide = true;
  if (route === '/settings') {
    page = <Settings state={state} />;
    wide = false;
  } else if (route === '/notices') {
    page = (
      <ChatLayout selected="notices" identified={identified}>
        <Notices />
      </ChatLayout>
    );
  } else if (route === '/identification' || state === undefined) {
    page = <IdentificationView identification={identification} />;
    wide = false;
  } else if (route === '/chats/new') {
    page = (
      <ChatLayout selected={undefined} identified={identified}>
        <NewChat />
      </ChatLayout>
    );
  } else if (conversation) {
    page = (
      <ChatLayout selected={conversation.id} identified={identified}>
        {conversation.page === 'info' ? (
          <ConversationInfo key={conversation.id} conversationId={conversation.id} />
        ) : (
          <ConversationView key={conversation.id} conversationId={conversation.id} />
        )}
      </ChatLayout>
    );
  } else {
    page = <ChatLayout selected={undefined} identified={identified} />;
  }

  return (
    <ChatContext.Provider value={chat}>
      <div className={wide ? 'shell shell-wide' : 'shell'}>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Header state={state} connection={connection.active ? connection.state : 'elsewhere'} />
        <main id="main" className="page">
          {shownNote && <Notice kind="info">{shownNote}</Notice>}
          {!connection.active && (
            <Notice kind="warning">
              Signet is open in another tab of this browser. This tab shows your conversations but cannot send; close
              the other tab to use this one.
            </Notice>
          )}
          {page}
        </main>
      </div>
    </ChatContext.Provider>
  );
}
