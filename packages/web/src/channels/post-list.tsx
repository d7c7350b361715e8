import type { Channel, ChannelPost } from '@signet/protocol';
import { useEffect, useId, useLayoutEffect, useRef } from 'react';
import { ErrorNotice } from '../components/notice';
import { formatShortTime } from '../lib/format';
import type { ChannelPosts } from './use-channel-posts';
import type { OwnRestrictions } from './use-own-restrictions';

interface PostListProps {
  channel: Channel;
  posts: ChannelPosts;
  restrictions: OwnRestrictions;
}

/** The channel's posts, oldest first, kept scrolled to the newest; older ones load above on demand. */
export function PostList({ channel, posts, restrictions }: PostListProps) {
  const labelId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  /** Distance from the bottom before older posts were added above, to keep the reading position. */
  const fromBottom = useRef<number | undefined>(undefined);
  const newest = posts.posts.at(-1)?.postId;
  const oldest = posts.posts[0]?.postId;

  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls when a newer post arrives.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [newest]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: keeps the position when older posts are added above.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && fromBottom.current !== undefined) el.scrollTop = el.scrollHeight - fromBottom.current;
    fromBottom.current = undefined;
  }, [oldest]);

  const loadOlder = () => {
    const el = scroller.current;
    if (el) fromBottom.current = el.scrollHeight - el.scrollTop;
    posts.loadOlder();
  };

  return (
    <div className="messages" ref={scroller} role="log" aria-labelledby={labelId} aria-busy={!posts.loaded}>
      <h2 id={labelId} className="visually-hidden">
        Posts
      </h2>
      {posts.hasOlder && (
        <button
          type="button"
          className="button button-secondary older-posts"
          onClick={loadOlder}
          disabled={posts.loadingOlder}
        >
          {posts.loadingOlder ? 'Loading older posts…' : 'Show older posts'}
        </button>
      )}
      {posts.loaded && posts.posts.length === 0 && (
        <p className="empty">{channel.owned ? 'No posts yet. Write the first one below.' : 'No posts yet.'}</p>
      )}
      {!posts.loaded && !posts.error && <p className="empty">Loading posts…</p>}
      <ol className="message-list">
        {posts.posts.map((p) => (
          <PostItem key={p.postId} post={p} restrictions={restrictions} />
        ))}
      </ol>
      {posts.removed && (
        <p className="hint removal-note" role="status">
          {posts.removed === 'restricted'
            ? 'A post was taken down: an authority’s order restricts it.'
            : 'A post was deleted by the channel’s owner.'}
        </p>
      )}
      <ErrorNotice error={posts.error} />
    </div>
  );
}

function PostItem({ post, restrictions }: { post: ChannelPost; restrictions: OwnRestrictions }) {
  const restricted = post.status === 'restricted';
  const order = restricted ? restrictions.forPost(post.channelId, post.postId) : undefined;
  return (
    <li className={`message post${restricted ? ' post-restricted' : ''}`}>
      {restricted && (
        <div className="post-restriction">
          <p>
            <strong>Removed by order{order ? ` ${order.legalBasis.reference}` : ' of an authority'}.</strong> Only you
            can see this post; your followers do not.
          </p>
          {order && <p className="legal-text">{order.legalBasis.text}</p>}
        </div>
      )}
      <p className="message-text">{post.text}</p>
      <span className="message-meta">
        <span>Post {post.postId}</span>
        <time dateTime={new Date(post.createdAt).toISOString()}>{formatShortTime(post.createdAt)}</time>
      </span>
    </li>
  );
}
