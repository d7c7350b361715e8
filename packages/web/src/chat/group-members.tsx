import { useId } from 'react';
import { ConfirmAction } from '../components/confirm-action';
import { ErrorNotice } from '../components/notice';
import { navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { AddMemberForm } from './add-member-form';
import { BlockControl } from './block-control';
import { useChat } from './chat-context';
import { SafetyNumber } from './safety-number';
import type { ConversationData, Member } from './use-conversation';

/** A group's members, each with their safety number; adding, removing, and leaving. */
export function GroupMembers({ data }: { data: ConversationData }) {
  const { state, writable } = useChat();
  const headingId = useId();
  const leaving = useAction();
  const { conversationId, status } = data.summary;
  const canChange = writable && status === 'active';

  const leave = () =>
    void leaving.run(async () => {
      await state.client.conversations.leave(conversationId);
      state.changed();
      navigate('/');
    });

  return (
    <>
      <section className="card" aria-labelledby={headingId}>
        <h2 id={headingId}>Members ({data.members.length})</h2>
        <ul className="member-list">
          {data.members.map((m) => (
            <MemberRow key={m.accountId} member={m} conversationId={conversationId} canRemove={canChange} />
          ))}
        </ul>
        {canChange && <AddMemberForm conversationId={conversationId} />}
      </section>
      {canChange && (
        <section className="card">
          <h2>Leave the group</h2>
          <p>You stop receiving its messages; the others are told that you left. Its earlier messages stay here.</p>
          <ConfirmAction
            label="Leave group"
            warning={<p>Leave “{data.name}”? Only a member can add you again.</p>}
            confirmLabel="Leave"
            busyLabel="Leaving…"
            busy={leaving.busy}
            onConfirm={leave}
          />
          <ErrorNotice error={leaving.error} />
        </section>
      )}
    </>
  );
}

function MemberRow({
  member,
  conversationId,
  canRemove,
}: {
  member: Member;
  conversationId: string;
  canRemove: boolean;
}) {
  const { state } = useChat();
  const removing = useAction();
  const remove = () =>
    void removing.run(async () => {
      await state.client.conversations.removeMembers(conversationId, [member.accountId]);
      state.changed();
    });
  if (member.self) {
    return (
      <li className="member">
        <span className="member-name">You</span>
      </li>
    );
  }
  return (
    <li className="member">
      <span className="member-name">
        {member.name}
        {member.blocked && <span className="badge badge-failed">blocked</span>}
      </span>
      <details className="member-details">
        <summary>Safety number and blocking</summary>
        <SafetyNumber accountId={member.accountId} name={member.name} />
        <BlockControl member={member} />
      </details>
      {canRemove && (
        <ConfirmAction
          label={`Remove ${member.name}`}
          warning={<p>Remove {member.name} from the group? They will not read anything sent afterwards.</p>}
          confirmLabel="Remove"
          busyLabel="Removing…"
          busy={removing.busy}
          onConfirm={remove}
          variant="secondary"
        />
      )}
      <ErrorNotice error={removing.error} />
    </li>
  );
}
