import type { LegalBasis } from '@signet/protocol';
import { invalidArgument } from '../errors';

/** Control characters and unpaired surrogates (line breaks and tabs aside): PostgreSQL cannot store NUL. */
const UNPRINTABLE = /[\p{Cc}\p{Cs}]/u;

/** Trimmed text that must not be blank nor hold control characters; `name` says where, in the error. */
export function requiredText(name: string, value: string): string {
  const text = value.trim();
  if (text === '') throw invalidArgument(`${name} must not be blank`);
  if (UNPRINTABLE.test(text.replace(/[\n\r\t]/g, ''))) {
    throw invalidArgument(`${name} must not contain control characters or unpaired surrogates`);
  }
  return text;
}

/** The legal basis of an authority's request or order: a reference and a text, both required. */
export function parseLegalBasis(input: LegalBasis): LegalBasis {
  return {
    reference: requiredText('legalBasis.reference', input.reference),
    text: requiredText('legalBasis.text', input.text),
  };
}
