import type { Channel, ChannelPost } from '@signet/protocol';
import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { ErrorNotice } from '../components/notice';
import { InputError, isApiError } from '../lib/errors';
import { useAction } from '../lib/use-action';
import { useChannels } from './channel-state';

/** The owner's box to post in: Enter posts, Shift+Enter starts a new line. Posts are public and stored in the clear. */
export function PostComposer({ channel, onPosted }: { channel: Channel; onPosted: (post: ChannelPost) => void }) {
  const { state, client } = useChannels();
  const id = useId();
  const [text, setText] = useState('');
  const posting = useAction();

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const trimmed = text.trim();
    if (trimmed === '' || posting.busy) return;
    void posting.run(async () => {
      try {
        onPosted(await client.channels.post(channel.channelId, trimmed));
      } catch (error) {
        if (isApiError(error, 'RESTRICTED')) {
          throw new InputError('An authority’s order restricts this content or this channel: the post was refused.');
        }
        throw error;
      }
      setText('');
      state.changed();
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
  };

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        Post to {channel.name}
      </label>
      <textarea
        id={id}
        rows={2}
        value={text}
        placeholder="Write a public post"
        maxLength={4096}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={`${id}-hint`}
      />
      <div className="composer-actions">
        <span id={`${id}-hint`} className="hint">
          Everyone can read it; it is not end-to-end encrypted.
        </span>
        <BusyButton busy={posting.busy} busyLabel="Posting…" disabled={text.trim() === ''}>
          Post
        </BusyButton>
      </div>
      <ErrorNotice error={posting.error} />
    </form>
  );
}
