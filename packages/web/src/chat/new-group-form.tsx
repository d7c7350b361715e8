import { type FormEvent, useId, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { Field } from '../components/field';
import { ErrorNotice } from '../components/notice';
import { InputError } from '../lib/errors';
import { conversationRoute, navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useChat } from './chat-context';
import { findAccount, splitNumbers } from './find-account';

/** A group with a name and the numbers of its first members. */
export function NewGroupForm() {
  const { state } = useChat();
  const headingId = useId();
  const membersId = useId();
  const [title, setTitle] = useState('');
  const [numbers, setNumbers] = useState('');
  const creating = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void creating.run(async () => {
      const name = title.trim();
      if (name === '') throw new InputError('Give the group a name.');
      const typed = splitNumbers(numbers);
      if (typed.length === 0) throw new InputError('Enter at least one member’s phone number.');
      const accounts: string[] = [];
      for (const n of typed) {
        try {
          accounts.push((await findAccount(state.client, n)).accountId);
        } catch (error) {
          if (error instanceof InputError) throw new InputError(`${n}: ${error.message}`);
          throw error;
        }
      }
      const group = await state.client.conversations.createGroup(name, accounts);
      state.changed();
      navigate(conversationRoute(group.conversationId));
    });
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>New group</h2>
      <form onSubmit={submit} noValidate>
        <Field label="Group name" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        <div className="field">
          <label htmlFor={membersId}>Members’ phone numbers</label>
          <p className="hint" id={`${membersId}-hint`}>
            One per line, with the country code. You can add more people later.
          </p>
          <textarea
            id={membersId}
            rows={3}
            value={numbers}
            aria-describedby={`${membersId}-hint`}
            onChange={(e) => setNumbers(e.target.value)}
          />
        </div>
        <BusyButton busy={creating.busy} busyLabel="Creating…">
          Create group
        </BusyButton>
        <ErrorNotice error={creating.error} />
      </form>
    </section>
  );
}
