import { BusyButton } from '../components/busy-button';
import { ErrorNotice } from '../components/notice';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { useChat } from './chat-context';
import { QrCode } from './qr-code';

/**
 * The safety number with a contact: sixty digits (and their QR code) that are the same on both phones only if
 * each holds the other's real keys. Comparing them in person is what makes "end-to-end" mean the right person.
 */
export function SafetyNumber({ accountId, name }: { accountId: string; name: string }) {
  const { state, revision } = useChat();
  const marking = useAction();
  const { value, error } = useLoad(() => state.client.contacts.safetyNumber(accountId), [state, revision, accountId]);

  const mark = (verified: boolean) =>
    void marking.run(async () => {
      await state.client.contacts.markVerified(accountId, verified);
      const changedAt = (await state.client.contacts.get(accountId))?.keysChangedAt;
      if (verified && changedAt) await state.acknowledgeKeyChange(accountId, changedAt);
      state.changed();
    });

  if (!value) return error ? <ErrorNotice error={error} /> : <p>Computing the safety number…</p>;
  const groups = value.formatted.split(' ');
  return (
    <div className="safety-number">
      <p>
        Compare these numbers with {name}, in person or on a call you trust: they must be the same on both phones. Or
        let them scan this code.
      </p>
      <div className="safety-number-body">
        <p className="safety-digits">
          {groups.map((g, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the groups are a fixed sequence.
            <span key={i}>{`${g} `}</span>
          ))}
        </p>
        <QrCode payload={value.qrPayload} label={`QR code of the safety number with ${name}`} />
      </div>
      {value.verified ? (
        <p className="verified">
          <span className="badge badge-identified">Verified</span> You compared this safety number with {name}.{' '}
          <BusyButton
            type="button"
            variant="secondary"
            className="button button-link"
            busy={marking.busy}
            busyLabel="Saving…"
            onClick={() => mark(false)}
          >
            Clear verification
          </BusyButton>
        </p>
      ) : (
        <div className="actions">
          <BusyButton type="button" busy={marking.busy} busyLabel="Saving…" onClick={() => mark(true)}>
            The numbers match: mark as verified
          </BusyButton>
        </div>
      )}
      <ErrorNotice error={marking.error} />
    </div>
  );
}
