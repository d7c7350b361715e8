import { useId } from 'react';
import { ErrorNotice } from '../components/notice';
import { BlockControl } from './block-control';
import { ConversationHeader } from './conversation-header';
import { MissingConversation } from './conversation-view';
import { GroupMembers } from './group-members';
import { SafetyNumber } from './safety-number';
import { useConversation } from './use-conversation';

/** A conversation's details: the safety number and blocking for one-to-one, the members for a group. */
export function ConversationInfo({ conversationId }: { conversationId: string }) {
  const { value: data, error } = useConversation(conversationId);
  const safetyId = useId();
  const blockId = useId();
  if (data === null) return <MissingConversation />;
  if (!data) return error ? <ErrorNotice error={error} /> : <p className="card">Loading…</p>;
  const { peer } = data;
  return (
    <div className="stack">
      <section className="card">
        <ConversationHeader data={data} page="info" />
      </section>
      {data.summary.kind === 'group' ? (
        <GroupMembers data={data} />
      ) : (
        peer && (
          <>
            <section className="card" aria-labelledby={safetyId}>
              <h2 id={safetyId}>Safety number</h2>
              <SafetyNumber accountId={peer.accountId} name={peer.name} />
            </section>
            <section className="card" aria-labelledby={blockId}>
              <h2 id={blockId}>Block</h2>
              <BlockControl member={peer} />
            </section>
          </>
        )
      )}
      <ErrorNotice error={error} />
    </div>
  );
}
