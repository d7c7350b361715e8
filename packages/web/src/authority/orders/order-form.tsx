import type { CreateRestrictionOrder, RestrictionOrder, RestrictionTargetType } from '@signet/protocol';
import { type FormEvent, useId, useState } from 'react';
import { BusyButton } from '../../components/busy-button';
import { Field } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { InputError } from '../../lib/errors';
import { useAction } from '../../lib/use-action';
import { describeAuthorityError } from '../authority-errors';
import { useConsole } from '../console-context';
import { checkLegalBasis, EMPTY_LEGAL_BASIS, LegalBasisFields } from '../legal-basis-fields';
import { actionOf, sha256Hex, TARGET_TYPES, TARGETS } from './targets';

/** Issuing an order: legal basis, target, its action, an optional end, and whether the affected user is told. */
export function OrderForm({ onIssued }: { onIssued: (order: RestrictionOrder) => void }) {
  const { client } = useConsole();
  const headingId = useId();
  const typeId = useId();
  const withholdId = useId();
  const groundId = useId();
  const [legalBasis, setLegalBasis] = useState(EMPTY_LEGAL_BASIS);
  const [type, setType] = useState<RestrictionTargetType>('channel_post');
  const [value, setValue] = useState('');
  const [fromText, setFromText] = useState('');
  const [expires, setExpires] = useState('');
  const [withheld, setWithheld] = useState(false);
  const [ground, setGround] = useState('');
  const issuing = useAction();
  const target = TARGETS[type];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void issuing.run(async () => {
      const input: CreateRestrictionOrder = {
        legalBasis: checkLegalBasis(legalBasis),
        target: targetInput(type, value.trim()),
        action: actionOf(type),
      };
      if (expires !== '') {
        const at = new Date(expires).getTime();
        if (!Number.isFinite(at) || at <= Date.now())
          throw new InputError('The end of the order must be in the future.');
        input.expiresAt = at;
      }
      if (withheld) {
        if (ground.trim() === '') throw new InputError('Give the legal ground for not telling the affected user.');
        input.notice = { withheld: true, legalGround: ground.trim() };
      }
      const order = await client.issueOrder(input);
      setValue('');
      setFromText('');
      onIssued(order);
    });
  };

  const compute = () => void sha256Hex(fromText).then(setValue);

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Issue an order</h2>
      <p className="hint">
        An order takes effect at once. End-to-end encrypted chats cannot be targeted: the server cannot read them, so
        private conversations are restricted at the account level only.
      </p>
      <form onSubmit={submit} noValidate>
        <LegalBasisFields value={legalBasis} onChange={setLegalBasis} />
        <fieldset className="group">
          <legend>Target</legend>
          <div className="field">
            <label htmlFor={typeId}>What to restrict</label>
            <select
              id={typeId}
              value={type}
              onChange={(e) => {
                setType(e.target.value as RestrictionTargetType);
                setValue('');
              }}
            >
              {TARGET_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TARGETS[t].label}
                </option>
              ))}
            </select>
          </div>
          <Field
            label={target.field}
            hint={target.hint}
            value={value}
            autoComplete="off"
            spellCheck={false}
            inputMode={type === 'channel_post' ? 'numeric' : 'text'}
            className={type === 'content_fingerprint' ? 'mono' : undefined}
            onChange={(e) => setValue(e.target.value)}
          />
          {type === 'content_fingerprint' && (
            <details className="fingerprint-helper">
              <summary>Compute the fingerprint from the text</summary>
              <label htmlFor={`${typeId}-text`}>Exact text of the content</label>
              <textarea id={`${typeId}-text`} rows={3} value={fromText} onChange={(e) => setFromText(e.target.value)} />
              <button type="button" className="button button-secondary" onClick={compute} disabled={fromText === ''}>
                Compute SHA-256
              </button>
            </details>
          )}
          <p className="order-action">
            <strong>Action:</strong> {target.effect}
          </p>
        </fieldset>
        <Field
          label="Ends (optional)"
          hint="Leave empty for an order that lasts until you revoke it."
          type="datetime-local"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
        />
        <fieldset className="group">
          <legend>Notice to the affected user</legend>
          <div className="check">
            <input id={withholdId} type="checkbox" checked={withheld} onChange={(e) => setWithheld(e.target.checked)} />
            <label htmlFor={withholdId}>
              Withhold the notice: do not tell the affected user what was restricted and why
            </label>
          </div>
          {withheld && (
            <div className="field">
              <label htmlFor={groundId}>Legal ground for withholding</label>
              <textarea
                id={groundId}
                rows={2}
                maxLength={2000}
                value={ground}
                onChange={(e) => setGround(e.target.value)}
              />
            </div>
          )}
          {!withheld && (
            <p className="hint">By default the user is told what was restricted, on what basis, until when.</p>
          )}
        </fieldset>
        <BusyButton busy={issuing.busy} busyLabel="Issuing…">
          Issue order
        </BusyButton>
        {issuing.error !== undefined && <ErrorNotice error={describeAuthorityError(issuing.error)} />}
      </form>
    </section>
  );
}

function targetInput(type: RestrictionTargetType, value: string): CreateRestrictionOrder['target'] {
  if (value === '') throw new InputError(`Give the ${TARGETS[type].field.toLowerCase()}.`);
  switch (type) {
    case 'channel_post': {
      const postId = Number(value.replace(/^(post\s*)?#?/i, ''));
      if (!Number.isSafeInteger(postId) || postId < 1)
        throw new InputError('The post number is a whole number, like 123.');
      return { type, postId };
    }
    case 'channel':
      return { type, channelId: value };
    case 'account_sending':
    case 'account_reach':
      return { type, accountId: value };
    case 'content_fingerprint':
      if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new InputError('A SHA-256 fingerprint is 64 hex digits.');
      return { type, sha256: value.toLowerCase() };
  }
}
