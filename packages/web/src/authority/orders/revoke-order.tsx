import type { RestrictionOrder } from '@signet/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { BusyButton } from '../../components/busy-button';
import { ErrorNotice } from '../../components/notice';
import { InputError } from '../../lib/errors';
import { useAction } from '../../lib/use-action';
import { describeAuthorityError } from '../authority-errors';
import { useConsole } from '../console-context';

/** Revoking an active order, with its reason: what it restricted is restored at once. */
export function RevokeOrder({
  order,
  onRevoked,
}: {
  order: RestrictionOrder;
  onRevoked: (order: RestrictionOrder) => void;
}) {
  const { client } = useConsole();
  const reasonId = useId();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const revoking = useAction();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) reasonRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button ref={openRef} type="button" className="button button-danger" onClick={() => setAsking(true)}>
        Revoke order
      </button>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void revoking.run(async () => {
      if (reason.trim() === '') throw new InputError('Give the reason for revoking the order.');
      onRevoked(await client.revokeOrder(order.orderId, reason.trim()));
    });
  };

  return (
    <form className="confirm" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={reasonId}>Reason for revoking {order.legalBasis.reference}</label>
        <p className="hint" id={`${reasonId}-hint`}>
          What it restricted is restored at once; the reason goes into the audit log
          {order.notice.withheld ? '.' : ' and to the affected user.'}
        </p>
        <textarea
          ref={reasonRef}
          id={reasonId}
          rows={2}
          maxLength={2000}
          aria-describedby={`${reasonId}-hint`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      <div className="actions">
        <BusyButton variant="danger" busy={revoking.busy} busyLabel="Revoking…">
          Revoke
        </BusyButton>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setAsking(false)}
          disabled={revoking.busy}
        >
          Cancel
        </button>
      </div>
      {revoking.error !== undefined && <ErrorNotice error={describeAuthorityError(revoking.error)} />}
    </form>
  );
}
