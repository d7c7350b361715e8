import { type FormEvent, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { Field } from '../components/field';
import { ErrorNotice, Notice } from '../components/notice';
import { formatPhone } from '../lib/phone';
import { useAction } from '../lib/use-action';
import { useChat } from './chat-context';
import { findAccount } from './find-account';

export function AddMemberForm({ conversationId }: { conversationId: string }) {
  const { state } = useChat();
  const [typed, setTyped] = useState('');
  const [added, setAdded] = useState<string>();
  const adding = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(undefined);
    void adding.run(async () => {
      const contact = await findAccount(state.client, typed);
      await state.client.conversations.addMembers(conversationId, [contact.accountId]);
      setAdded(`${formatPhone(contact.phoneNumber ?? typed)} was added.`);
      setTyped('');
      state.changed();
    });
  };

  return (
    <form onSubmit={submit} className="add-member" noValidate>
      <Field
        label="Add a member"
        hint="Their phone number, with the country code (+7 900 123-45-67)"
        type="tel"
        autoComplete="off"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
      />
      <BusyButton busy={adding.busy} busyLabel="Adding…" variant="secondary">
        Add to the group
      </BusyButton>
      {added && <Notice kind="success">{added}</Notice>}
      <ErrorNotice error={adding.error} />
    </form>
  );
}
