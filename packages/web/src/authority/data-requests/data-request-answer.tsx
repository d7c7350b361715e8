import type { DataRequestAnswer, DisclosedAccount } from '@signet/protocol';
import { useId } from 'react';
import { formatDateTime } from '../../lib/format';
import { formatPhone } from '../../lib/phone';

/** One answer: the request it answers and each account's identification record. */
export function DataRequestAnswerView({ answer }: { answer: DataRequestAnswer }) {
  const headingId = useId();
  const whose = answer.target.phoneNumber
    ? formatPhone(answer.target.phoneNumber)
    : `account ${answer.target.accountId ?? ''}`;
  return (
    <section className="card answer" aria-labelledby={headingId}>
      <h2 id={headingId}>Record of {whose}</h2>
      <p className="hint">
        Request <span className="mono">{answer.requestId}</span>, answered {formatDateTime(answer.receivedAt)} under{' '}
        {answer.legalBasis.reference}.
      </p>
      {answer.accounts.length === 0 && (
        <p>
          {answer.target.phoneNumber
            ? 'No account has ever been registered with this number.'
            : 'There is no account with this id, and no record of one.'}
        </p>
      )}
      {answer.accounts.map((a) => (
        <AccountRecord key={a.accountId} account={a} />
      ))}
    </section>
  );
}

function AccountRecord({ account }: { account: DisclosedAccount }) {
  const historyId = useId();
  return (
    <article className="record">
      <h3>
        Account <span className="mono">{account.accountId}</span>{' '}
        <span className={`badge badge-${account.state}`}>{account.state}</span>
      </h3>
      <dl className="facts">
        <dt>Phone number</dt>
        <dd>{formatPhone(account.phoneNumber)}</dd>
        <dt>Identification code</dt>
        <dd className="mono">{account.identificationCode}</dd>
        <dt>Operator</dt>
        <dd>{account.operatorId ?? 'none'}</dd>
        <dt>Registered</dt>
        <dd>{account.createdAt ? formatDateTime(account.createdAt) : 'not retained'}</dd>
        <dt>Identified</dt>
        <dd>{account.identifiedAt ? formatDateTime(account.identifiedAt) : 'not identified'}</dd>
        {account.retiredAt !== null && (
          <>
            <dt>Retired</dt>
            <dd>{formatDateTime(account.retiredAt)}</dd>
          </>
        )}
      </dl>
      <h4 id={historyId}>Identification history</h4>
      {account.identificationHistory.length === 0 ? (
        <p>None.</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby={historyId}>
            <thead>
              <tr>
                <th scope="col">Asked</th>
                <th scope="col">Why</th>
                <th scope="col">Operator</th>
                <th scope="col">Result</th>
                <th scope="col">Decided</th>
              </tr>
            </thead>
            <tbody>
              {account.identificationHistory.map((h) => (
                <tr key={h.requestId}>
                  <td>{formatDateTime(h.requestedAt)}</td>
                  <td>{h.reason}</td>
                  <td>{h.operatorId ?? '—'}</td>
                  <td>
                    {h.status}
                    {h.failure ? ` (${h.failure})` : ''}
                  </td>
                  <td>{h.decidedAt ? formatDateTime(h.decidedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details>
        <summary>Account events ({account.events.length})</summary>
        {account.events.length === 0 ? (
          <p>None retained.</p>
        ) : (
          <ul className="event-list">
            {account.events.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: events have no id and never reorder.
              <li key={i}>
                <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time> {e.type}
                {e.address ? ` from ${e.address}` : ''}
              </li>
            ))}
          </ul>
        )}
      </details>
    </article>
  );
}
