import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { ChannelContext, ChannelState } from '../channels/channel-state';
import { ChannelView } from '../channels/channel-view';
import { ChannelsLayout } from '../channels/channels-layout';
import { FindChannels } from '../channels/find-channels';
import { NewChannel } from '../channels/new-channel';
import { ChatContext, type ChatContextValue } from '../chat/chat-context';
import { ChatLayout } from '../chat/chat-layout';
import { ChatState } from '../chat/chat-state';
import { ConversationInfo } from '../chat/conversation-info';
import { ConversationView } from '../chat/conversation-view';
import { NewChat } from '../chat/new-chat';
import { Notice } from '../components/notice';
import { IdentificationView } from '../identification/identification-view';
import { useIdentification } from '../identification/use-identification';
import { navigate, routeChannel, routeConversation, useRoute } from '../lib/router';
import { useSession } from '../lib/session-context';
import { useDeviceConnection } from '../lib/use-device-connection';
import { NoticeAnnouncer } from '../notices/notice-announcer';
import { NoticeContext, NoticeStore } from '../notices/notice-store';
import { NoticesView } from '../notices/notices-view';
import { AccountRestrictionBanner } from '../restrictions/account-restriction-banner';
import { Settings } from '../settings/settings';
import { Header } from './header';

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
  const channelState = useMemo(() => new ChannelState(client), [client]);
  const notices = useMemo(() => new NoticeStore(client), [client]);
  useEffect(() => notices.start(), [notices]);
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
  const channel = routeChannel(route);
  let page: ReactNode;
  let wide = true;
  if (route === '/settings') {
    page = <Settings state={state} />;
    wide = false;
  } else if (route === '/notices') {
    page = (
      <ChatLayout selected="notices" identified={identified}>
        <NoticesView />
      </ChatLayout>
    );
  } else if (route === '/channels' || route === '/channels/new' || channel) {
    page = (
      <ChannelsLayout selected={channel} detail={route !== '/channels'} identified={identified}>
        {channel ? (
          <ChannelView key={channel} channelRef={channel} identified={identified} />
        ) : route === '/channels/new' ? (
          <NewChannel />
        ) : (
          <FindChannels />
        )}
      </ChannelsLayout>
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
      <ChannelContext.Provider value={channelState}>
        <NoticeContext.Provider value={notices}>
          <div className={wide ? 'shell shell-wide' : 'shell'}>
            <a className="skip-link" href="#main">
              Skip to content
            </a>
            <Header state={state} connection={connection.active ? connection.state : 'elsewhere'} />
            <main id="main" className="page">
              {shownNote && <Notice kind="info">{shownNote}</Notice>}
              {!connection.active && (
                <Notice kind="warning">
                  Signet is open in another tab of this browser. This tab shows your conversations but cannot send;
                  close the other tab to use this one.
                </Notice>
              )}
              <AccountRestrictionBanner />
              {page}
            </main>
            <NoticeAnnouncer />
          </div>
        </NoticeContext.Provider>
      </ChannelContext.Provider>
    </ChatContext.Provider>
  );
}
