import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Notice } from '../components/notice';
import { IdentificationView } from '../identification/identification-view';
import { useIdentification } from '../identification/use-identification';
import { navigate, useRoute } from '../lib/router';
import { Settings } from '../settings/settings';
import { Chats } from './chats';
import { Header } from './header';
import { Notices } from './notices';

/** The signed-in app: header and navigation, and the page the address names. */
export function Home({ note }: { note?: string | undefined }) {
  const identification = useIdentification();
  const route = useRoute();
  const state = identification.status?.state;
  const identified = state === 'identified';
  const [shownNote, setShownNote] = useState(note);
  const firstRoute = useRef(route);

  // The note is about how the user got here: it goes once they move on.
  useEffect(() => {
    if (route !== firstRoute.current && route !== '/identification') setShownNote(undefined);
  }, [route]);

  // Until the account is identified, the way in is its identification status.
  useEffect(() => {
    if (route === '/' && state !== undefined && !identified) navigate('/identification', { replace: true });
  }, [route, state, identified]);

  let page: ReactNode;
  if (route === '/settings') page = <Settings state={state} />;
  else if (route === '/notices') page = <Notices />;
  else if (route === '/identification' || state === undefined)
    page = <IdentificationView identification={identification} />;
  else page = <Chats identified={identified} />;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header state={state} connection={identification.connection} />
      <main id="main" className="page">
        {shownNote && <Notice kind="info">{shownNote}</Notice>}
        {page}
      </main>
    </div>
  );
}
