import type { LegalBasis } from '@signet/protocol';
import { useId } from 'react';
import { Field } from '../components/field';
import { InputError } from '../lib/errors';

/** The lawful ground of a request: the decision's reference and the ground in words; both are required. */
export function LegalBasisFields({ value, onChange }: { value: LegalBasis; onChange: (next: LegalBasis) => void }) {
  const textId = useId();
  return (
    <fieldset className="group">
      <legend>Legal basis</legend>
      <Field
        label="Reference of the decision"
        hint="Its number, date and issuing body, e.g. Court order 2-1234/2026 of 1 November 2026."
        value={value.reference}
        maxLength={200}
        autoComplete="off"
        onChange={(e) => onChange({ ...value, reference: e.target.value })}
      />
      <div className="field">
        <label htmlFor={textId}>Legal ground</label>
        <p className="hint" id={`${textId}-hint`}>
          The provision and what the decision orders, in words.
        </p>
        <textarea
          id={textId}
          rows={3}
          maxLength={10_000}
          aria-describedby={`${textId}-hint`}
          value={value.text}
          onChange={(e) => onChange({ ...value, text: e.target.value })}
        />
      </div>
    </fieldset>
  );
}

export const EMPTY_LEGAL_BASIS: LegalBasis = { reference: '', text: '' };

/** The legal basis, trimmed, or an error that says which part is missing. */
export function checkLegalBasis(value: LegalBasis): LegalBasis {
  const reference = value.reference.trim();
  const text = value.text.trim();
  if (reference === '') throw new InputError('Give the reference of the decision (number, date, issuing body).');
  if (text === '') throw new InputError('Give the legal ground in words.');
  return { reference, text };
}
