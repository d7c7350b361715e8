import { type FormEvent, useId, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { Field } from '../components/field';
import { ErrorNotice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { NavLink } from '../home/nav-link';
import { InputError, isApiError } from '../lib/errors';
import { channelRoute, navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useChannels } from './channel-state';
import { PublicMark } from './public-mark';

const HANDLE = /^@?[A-Za-z][A-Za-z0-9_]{2,31}$/;

/** A new public channel: its name, a unique @handle, a description. The creator owns it and is its only poster. */
export function NewChannel() {
  const { state, client } = useChannels();
  const descriptionId = useId();
  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');
  const [description, setDescription] = useState('');
  const creating = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void creating.run(async () => {
      if (name.trim() === '') throw new InputError('Give the channel a name.');
      const typed = handle.trim();
      if (!HANDLE.test(typed)) {
        throw new InputError(
          'A handle is 3 to 32 characters: a letter first, then letters, digits or _ (like @town_news).',
        );
      }
      try {
        const channel = await client.channels.create({
          name: name.trim(),
          handle: typed,
          ...(description.trim() ? { description: description.trim() } : {}),
        });
        state.changed();
        navigate(channelRoute(channel.handle));
      } catch (error) {
        if (isApiError(error, 'CONFLICT')) {
          throw new InputError(`The handle ${typed.startsWith('@') ? typed : `@${typed}`} is taken: choose another.`);
        }
        throw error;
      }
    });
  };

  return (
    <section className="card">
      <NavLink to="/channels" className="back-link back-link-narrow">
        ← All channels
      </NavLink>
      <StepHeading>New public channel</StepHeading>
      <PublicMark />
      <p>You will be its only poster; anyone can follow it. Choose a handle people can find it by.</p>
      <form onSubmit={submit} noValidate>
        <Field label="Name" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
        <Field
          label="Handle"
          hint="A letter, then letters, digits or _; 3 to 32 in all. It cannot be changed later."
          value={handle}
          placeholder="@town_news"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={33}
          onChange={(e) => setHandle(e.target.value)}
        />
        <div className="field">
          <label htmlFor={descriptionId}>Description (optional)</label>
          <textarea
            id={descriptionId}
            rows={3}
            maxLength={512}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <BusyButton busy={creating.busy} busyLabel="Creating…">
          Create channel
        </BusyButton>
        <ErrorNotice error={creating.error} />
      </form>
    </section>
  );
}
