import type { Mailing } from '@signet/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { ConfirmAction } from '../../components/confirm-action';
import { ErrorNotice } from '../../components/notice';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { describeAuthorityError } from '../authority-errors';
import { useConsole } from '../console-context';

/** How often the counts are read again while the page is in view. */
const REFRESH_MS = 10_000;

/** This authority's mailings, newest first, with delivery and read counts kept current. */
export function MailingList({ revision }: { revision: number }) {
  const { client } = useConsole();
  const headingId = useId();
  const [mailings, setMailings] = useState<Mailing[]>();
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [refreshedAt, setRefreshedAt] = useState<number>();
  const [tick, setTick] = useState(0);

  const refresh = useCallback(() => setTick((t) => t + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: read again on a send here, a refresh, or the timer.
  useEffect(() => {
    let live = true;
    client.mailings({ limit: 20 }).then(
      (page) => {
        if (!live) return;
        setMailings(page.mailings);
        setNext(page.nextCursor);
        setError(undefined);
        setRefreshedAt(Date.now());
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, revision, tick]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const more = () => {
    if (!next) return;
    client.mailings({ before: next, limit: 20 }).then(
      (page) => {
        setMailings((m) => [...(m ?? []), ...page.mailings]);
        setNext(page.nextCursor);
      },
      (e: unknown) => setError(e),
    );
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="section-head">
        <h2 id={headingId}>Your mailings</h2>
        <button type="button" className="button button-secondary" onClick={refresh}>
          Refresh counts
        </button>
      </div>
      {refreshedAt && <p className="hint">Counts as of {formatDateTime(refreshedAt)}; they refresh by themselves.</p>}
      {mailings === undefined && !error && <p>Loading…</p>}
      {mailings?.length === 0 && <p>You have sent no mailings.</p>}
      <ul className="order-list" aria-labelledby={headingId}>
        {mailings?.map((m) => (
          <MailingItem key={m.mailingId} mailing={m} onChanged={refresh} />
        ))}
      </ul>
      {next && (
        <button type="button" className="button button-secondary" onClick={more}>
          Show older mailings
        </button>
      )}
      {error !== undefined && <ErrorNotice error={describeAuthorityError(error)} />}
    </section>
  );
}

function MailingItem({ mailing, onChanged }: { mailing: Mailing; onChanged: () => void }) {
  const { client } = useConsole();
  const withdrawing = useAction();
  const { audience, delivered, read } = mailing.counts;
  const share = (n: number) => (audience === 0 ? '' : ` (${Math.round((n / audience) * 100)}%)`);
  const withdraw = () =>
    void withdrawing.run(async () => {
      await client.withdrawMailing(mailing.mailingId);
      onChanged();
    });
  return (
    <li className="order">
      <div className="order-head">
        <span className="order-reference">{mailing.notice.title}</span>
        <span className={`badge badge-mailing-${mailing.status}`}>{mailing.status}</span>
      </div>
      <p className="mailing-body">{mailing.notice.body}</p>
      <dl className="facts">
        <dt>Mailing</dt>
        <dd>{mailing.mailingId}</dd>
        <dt>Sent</dt>
        <dd>{formatDateTime(mailing.sentAt)}</dd>
        <dt>To</dt>
        <dd>
          {'all' in mailing.notice.audience
            ? 'All identified users'
            : `Numbers starting ${mailing.notice.audience.prefixes.join(', ')}`}
        </dd>
        {mailing.withdrawnAt !== null && (
          <>
            <dt>Withdrawn</dt>
            <dd>{formatDateTime(mailing.withdrawnAt)}</dd>
          </>
        )}
      </dl>
      <ul className="counts" aria-label={`Delivery of mailing ${mailing.mailingId}`}>
        <li>
          <span className="count-number">{audience}</span> in the audience
        </li>
        <li>
          <span className="count-number">{delivered}</span> delivered{share(delivered)}
        </li>
        <li>
          <span className="count-number">{read}</span> read{share(read)}
        </li>
      </ul>
      {mailing.status === 'active' && (
        <ConfirmAction
          label="Withdraw"
          warning={<p>The notice leaves every user’s “Official notices” at once. The record of it stays.</p>}
          confirmLabel="Withdraw the notice"
          busyLabel="Withdrawing…"
          busy={withdrawing.busy}
          onConfirm={withdraw}
        />
      )}
      {withdrawing.error !== undefined && <ErrorNotice error={describeAuthorityError(withdrawing.error)} />}
    </li>
  );
}
