import type { DataRequestAnswer, DataRequestTarget } from '@signet/protocol';
import { type FormEvent, useId, useState } from 'react';
import { BusyButton } from '../../components/busy-button';
import { Field } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { DEFAULT_COUNTRY } from '../../lib/countries';
import { InputError } from '../../lib/errors';
import { toE164 } from '../../lib/phone';
import { useAction } from '../../lib/use-action';
import { describeAuthorityError } from '../authority-errors';
import { useConsole } from '../console-context';
import { checkLegalBasis, EMPTY_LEGAL_BASIS, LegalBasisFields } from '../legal-basis-fields';

/** A data request: its legal basis and whose record, by phone number or account id. */
export function DataRequestForm({ onAnswered }: { onAnswered: (answer: DataRequestAnswer) => void }) {
  const { client } = useConsole();
  const headingId = useId();
  const [legalBasis, setLegalBasis] = useState(EMPTY_LEGAL_BASIS);
  const [by, setBy] = useState<'phone' | 'account'>('phone');
  const [value, setValue] = useState('');
  const asking = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void asking.run(async () => {
      const basis = checkLegalBasis(legalBasis);
      onAnswered(await client.dataRequest({ legalBasis: basis, target: targetOf(by, value) }));
    });
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Request an identification record</h2>
      <p className="hint">
        The answer holds every account the number had (current, retired, deleted): account id, number, identification
        code, operator, identification history and the account events still retained. Never message content. The request
        and its answer are audited and counted in the transparency report.
      </p>
      <form onSubmit={submit} noValidate>
        <LegalBasisFields value={legalBasis} onChange={setLegalBasis} />
        <fieldset className="group">
          <legend>Whose record</legend>
          <div className="check">
            <input
              id={`${headingId}-phone`}
              type="radio"
              name="by"
              checked={by === 'phone'}
              onChange={() => setBy('phone')}
            />
            <label htmlFor={`${headingId}-phone`}>By phone number</label>
          </div>
          <div className="check">
            <input
              id={`${headingId}-account`}
              type="radio"
              name="by"
              checked={by === 'account'}
              onChange={() => setBy('account')}
            />
            <label htmlFor={`${headingId}-account`}>By account id</label>
          </div>
          <Field
            label={by === 'phone' ? 'Phone number' : 'Account id'}
            hint={by === 'phone' ? 'With the country code, e.g. +7 900 123-45-67.' : 'Starts with acc_.'}
            type={by === 'phone' ? 'tel' : 'text'}
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </fieldset>
        <BusyButton busy={asking.busy} busyLabel="Requesting…">
          Request the record
        </BusyButton>
        {asking.error !== undefined && <ErrorNotice error={describeAuthorityError(asking.error)} />}
      </form>
    </section>
  );
}

function targetOf(by: 'phone' | 'account', typed: string): DataRequestTarget {
  const value = typed.trim();
  if (by === 'account') {
    if (!/^acc_[A-Za-z0-9_-]+$/.test(value)) throw new InputError('An account id starts with acc_, like acc_3fK9….');
    return { accountId: value };
  }
  if (value === '') throw new InputError('Enter the phone number.');
  const check = toE164(DEFAULT_COUNTRY, value);
  if (!check.ok) throw new InputError(check.error);
  return { phoneNumber: check.number };
}
