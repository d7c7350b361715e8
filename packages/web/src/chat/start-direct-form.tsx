import { type FormEvent, useId, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { Field } from '../components/field';
import { ErrorNotice } from '../components/notice';
import { conversationRoute, navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useChat } from './chat-context';
import { findAccount } from './find-account';

/** Finds the number's account (the server says only whether one exists) and opens the conversation with it. */
export function StartDirectForm() {
  const { state } = useChat();
  const headingId = useId();
  const [typed, setTyped] = useState('');
  const starting = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void starting.run(async () => {
      const contact = await findAccount(state.client, typed);
      const chat = await state.client.conversations.direct(contact.accountId);
      state.changed();
      navigate(conversationRoute(chat.conversationId));
    });
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Write to a number</h2>
      <form onSubmit={submit} noValidate>
        <Field
          label="Phone number"
          hint="With the country code, e.g. +7 900 123-45-67. They must have Signet and be identified."
          type="tel"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <BusyButton busy={starting.busy} busyLabel="Starting…">
          Start conversation
        </BusyButton>
        <ErrorNotice error={starting.error} />
      </form>
    </section>
  );
}
