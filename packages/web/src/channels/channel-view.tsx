import type { Channel } from '@signet/protocol';
import { useEffect, useRef } from 'react';
import { BusyButton } from '../components/busy-button';
import { ErrorNotice, Notice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { NavLink } from '../home/nav-link';
import { isApiError } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { useChannels } from './channel-state';
import { PostComposer } from './post-composer';
import { PostList } from './post-list';
import { PublicMark } from './public-mark';
import { useChannelPosts } from './use-channel-posts';
import { type OwnRestrictions, useOwnRestrictions } from './use-own-restrictions';

/** One public channel: what it is, follow or unfollow, its posts as they come, and the box to post in for its owner. */
export function ChannelView({ channelRef, identified }: { channelRef: string; identified: boolean }) {
  const { client, revision } = useChannels();
  const { value: channel, error } = useLoad(() => client.channels.get(channelRef), [client, channelRef, revision]);
  const restrictions = useOwnRestrictions(channel?.owned ?? false);

  if (!channel) {
    if (!error) return <p className="card">Loading the channel…</p>;
    return <UnavailableChannel channelRef={channelRef} error={error} />;
  }
  return <ChannelBody channel={channel} identified={identified} restrictions={restrictions} />;
}

interface ChannelBodyProps {
  channel: Channel;
  identified: boolean;
  restrictions: OwnRestrictions;
}

function ChannelBody({ channel, identified, restrictions }: ChannelBodyProps) {
  const { state, client } = useChannels();
  const posts = useChannelPosts(channel);
  const following = useAction();
  const restricted = channel.status === 'restricted';
  const order = restricted ? restrictions.forChannel(channel.channelId) : undefined;

  // What is shown of a followed channel has been read (while the page is in view).
  const newest = posts.posts.findLast((p) => p.status === 'visible')?.postId;
  const marked = useRef(0);
  useEffect(() => {
    if (!channel.following || newest === undefined || newest <= marked.current) return;
    const mark = () => {
      if (document.visibilityState !== 'visible' || newest <= marked.current) return;
      marked.current = newest;
      client.channels.markRead(channel.channelId, newest).then(
        () => state.changed(),
        () => {
          marked.current = 0;
        },
      );
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [client, state, channel.channelId, channel.following, newest]);

  const toggleFollow = () =>
    void following.run(async () => {
      if (channel.following) await client.channels.unfollow(channel.channelId);
      else await client.channels.follow(channel.channelId);
      state.changed();
    });

  return (
    <section className="card conversation channel">
      <div className="conversation-head">
        <NavLink to="/channels" className="back-link back-link-narrow">
          ← All channels
        </NavLink>
        <div className="conversation-title">
          <div>
            <StepHeading>{channel.name}</StepHeading>
            <p className="hint">
              <span className="handle">{channel.handle}</span> · {channel.followers} follower
              {channel.followers === 1 ? '' : 's'}
              {channel.owned ? ' · your channel' : ''}
            </p>
          </div>
          {!channel.owned && !restricted && (
            <BusyButton
              type="button"
              variant={channel.following ? 'secondary' : 'primary'}
              busy={following.busy}
              busyLabel={channel.following ? 'Unfollowing…' : 'Following…'}
              disabled={!channel.following && !identified}
              onClick={toggleFollow}
            >
              {channel.following ? 'Unfollow' : 'Follow'}
            </BusyButton>
          )}
        </div>
        {channel.description && <p className="channel-description">{channel.description}</p>}
        <PublicMark />
        <details className="channel-details">
          <summary>Channel details</summary>
          <dl className="facts">
            <dt>Channel id</dt>
            <dd className="mono">{channel.channelId}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(channel.createdAt)}</dd>
          </dl>
        </details>
        {!channel.following && !channel.owned && (
          <p className="hint">Follow the channel to get its new posts as they are published, with unread counts.</p>
        )}
      </div>
      <ErrorNotice error={following.error} />
      {restricted && (
        <div className="notice notice-warning" role="status">
          <p>
            <strong>Restricted by an authority’s order{order ? ` (${order.legalBasis.reference})` : ''}.</strong> Only
            you can see this channel: nobody can find, follow or read it, and you cannot post to it.
            {order?.expiresAt ? ` The order ends on ${formatDateTime(order.expiresAt)}.` : ''}
          </p>
          {order && <p className="legal-text">{order.legalBasis.text}</p>}
        </div>
      )}
      <PostList channel={channel} posts={posts} restrictions={restrictions} />
      {channel.owned && !restricted && identified && <PostComposer channel={channel} onPosted={posts.add} />}
      {channel.owned && !identified && <Notice kind="info">You can post again once your account is identified.</Notice>}
    </section>
  );
}

function UnavailableChannel({ channelRef, error }: { channelRef: string; error: unknown }) {
  let body = <ErrorNotice error={error} />;
  if (isApiError(error, 'NOT_FOUND')) {
    body = <p>There is no channel {channelRef}. Check the handle, or find channels by name.</p>;
  } else if (isApiError(error, 'RESTRICTED')) {
    body = <p>The channel {channelRef} is not available: an authority’s order restricts it.</p>;
  }
  return (
    <section className="card">
      <NavLink to="/channels" className="back-link back-link-narrow">
        ← All channels
      </NavLink>
      <StepHeading>Channel unavailable</StepHeading>
      {body}
      <NavLink to="/channels">Find channels</NavLink>
    </section>
  );
}
