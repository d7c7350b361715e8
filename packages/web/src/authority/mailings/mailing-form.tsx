import type { MailingSent, NoticeAudience } from '@signet/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { BusyButton } from '../../components/busy-button';
import { Field } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { InputError } from '../../lib/errors';
import { useAction } from '../../lib/use-action';
import { describeAuthorityError } from '../authority-errors';
import { useConsole } from '../console-context';

const PREFIX = /^\+[1-9][0-9]{0,14}$/;

interface Draft {
  title: string;
  body: string;
  audience: NoticeAudience;
}

/** A new mailing: title, text and audience; checked, then confirmed, then signed here and sent. */
export function MailingForm({ onSent }: { onSent: (sent: MailingSent) => void }) {
  const { client, identity } = useConsole();
  const headingId = useId();
  const bodyId = useId();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [everyone, setEveryone] = useState(true);
  const [prefixes, setPrefixes] = useState('');
  const [draft, setDraft] = useState<Draft>();
  const sending = useAction();
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (draft) confirmRef.current?.focus();
  }, [draft]);

  const review = (e: FormEvent) => {
    e.preventDefault();
    sending.setError(undefined);
    try {
      if (title.trim() === '') throw new InputError('Give the notice a title.');
      if (body.trim() === '') throw new InputError('Write the text of the notice.');
      setDraft({ title: title.trim(), body: body.trim(), audience: everyone ? { all: true } : audienceOf(prefixes) });
    } catch (error) {
      sending.setError(error);
    }
  };

  const send = () => {
    if (!draft) return;
    void sending.run(async () => {
      const sent = await client.sendMailing(draft);
      setDraft(undefined);
      setTitle('');
      setBody('');
      onSent(sent);
    });
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Send a mailing</h2>
      <p className="hint">
        The notice is signed here with {identity.name}’s key; every user’s app checks that signature and shows it in
        their read-only “Official notices”, marked verified. It cannot be edited once sent, only withdrawn.
      </p>
      <form onSubmit={review} noValidate>
        <Field
          label="Title"
          value={title}
          maxLength={200}
          disabled={draft !== undefined}
          onChange={(e) => setTitle(e.target.value)}
        />
        <div className="field">
          <label htmlFor={bodyId}>Text</label>
          <textarea
            id={bodyId}
            rows={5}
            maxLength={4000}
            value={body}
            disabled={draft !== undefined}
            onChange={(e) => setBody(e.target.value)}
          />
        </div>
        <fieldset className="group" disabled={draft !== undefined}>
          <legend>Audience</legend>
          <div className="check">
            <input
              id={`${headingId}-all`}
              type="radio"
              name="audience"
              checked={everyone}
              onChange={() => setEveryone(true)}
            />
            <label htmlFor={`${headingId}-all`}>All identified users</label>
          </div>
          <div className="check">
            <input
              id={`${headingId}-some`}
              type="radio"
              name="audience"
              checked={!everyone}
              onChange={() => setEveryone(false)}
            />
            <label htmlFor={`${headingId}-some`}>Only numbers starting with…</label>
          </div>
          {!everyone && (
            <Field
              label="Number prefixes"
              hint="With the country code, separated by commas: +7900, +7901. Up to 100."
              value={prefixes}
              autoComplete="off"
              onChange={(e) => setPrefixes(e.target.value)}
            />
          )}
        </fieldset>
        {!draft && (
          <button type="submit" className="button button-primary">
            Review and send
          </button>
        )}
      </form>
      {draft && (
        <fieldset className="confirm confirm-send">
          <legend className="visually-hidden">Confirm the mailing</legend>
          <p>
            Send “{draft.title}” to{' '}
            <strong>
              {'all' in draft.audience
                ? 'every identified user'
                : `the users of numbers starting ${draft.audience.prefixes.join(', ')}`}
            </strong>
            , signed as {identity.name}?
          </p>
          <div className="actions">
            <BusyButton
              ref={confirmRef}
              type="button"
              busy={sending.busy}
              busyLabel="Signing and sending…"
              onClick={send}
            >
              Sign and send
            </BusyButton>
            <button
              type="button"
              className="button button-secondary"
              disabled={sending.busy}
              onClick={() => setDraft(undefined)}
            >
              Edit
            </button>
          </div>
        </fieldset>
      )}
      {sending.error !== undefined && <ErrorNotice error={describeAuthorityError(sending.error)} />}
    </section>
  );
}

function audienceOf(typed: string): NoticeAudience {
  const prefixes = typed
    .split(/[\s,;]+/)
    .map((p) => p.replace(/[()-]/g, ''))
    .filter((p) => p !== '');
  if (prefixes.length === 0) throw new InputError('Give at least one number prefix, like +7900.');
  const wrong = prefixes.filter((p) => !PREFIX.test(p));
  if (wrong.length > 0) {
    throw new InputError(`${wrong.join(', ')}: a prefix is a + and 1 to 15 digits, the first not 0 (like +7900).`);
  }
  if (prefixes.length > 100) throw new InputError('A mailing takes up to 100 prefixes.');
  return { prefixes: [...new Set(prefixes)] };
}
