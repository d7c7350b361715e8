import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { NavLink } from '../home/nav-link';
import { channelRoute } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { useChannels } from './channel-state';
import { PublicMark } from './public-mark';

/** Search public channels by name or handle; without a search, the most followed. */
export function FindChannels() {
  const { client, revision } = useChannels();
  const headingId = useId();
  const resultsId = useId();
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const { value: channels, error } = useLoad(
    () => client.channels.search(query.trim() === '' ? undefined : query.trim(), 30),
    [client, query, revision],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(typed);
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <StepHeading>
        <span id={headingId}>Public channels</span>
      </StepHeading>
      <PublicMark />
      <search>
        <form className="search-form" onSubmit={submit}>
          <label htmlFor={`${headingId}-q`} className="visually-hidden">
            Search channels
          </label>
          <input
            id={`${headingId}-q`}
            type="search"
            value={typed}
            placeholder="Name or @handle"
            maxLength={64}
            onChange={(e) => setTyped(e.target.value)}
          />
          <button type="submit" className="button button-primary">
            Search
          </button>
        </form>
      </search>
      <h2 id={resultsId}>{query.trim() === '' ? 'Most followed' : `Channels matching “${query.trim()}”`}</h2>
      {channels === undefined && !error && <p>Loading…</p>}
      {channels?.length === 0 && (
        <p>{query.trim() === '' ? 'Nobody has created a channel yet.' : 'No channel has that name or handle.'}</p>
      )}
      <ul className="chat-list" aria-labelledby={resultsId}>
        {channels?.map((c) => (
          <li key={c.channelId}>
            <NavLink to={channelRoute(c.handle)} className="chat-item">
              <span className="chat-title">
                {c.name} <span className="handle">{c.handle}</span>
              </span>
              <span className="chat-time">
                {c.followers} follower{c.followers === 1 ? '' : 's'}
              </span>
              <span className="chat-preview">
                {c.following ? 'Following · ' : ''}
                {c.description || 'No description'}
              </span>
            </NavLink>
          </li>
        ))}
      </ul>
      <ErrorNotice error={error} />
    </section>
  );
}
