import type { ContactRecord, SignetClient } from '@signet/client';
import { DEFAULT_COUNTRY } from '../lib/countries';
import { InputError } from '../lib/errors';
import { toE164 } from '../lib/phone';

/** The identified account of a typed number (with +country code, or a number of the default country). */
export async function findAccount(client: SignetClient, typed: string): Promise<ContactRecord> {
  if (typed.trim() === '') throw new InputError('Enter a phone number.');
  const check = toE164(DEFAULT_COUNTRY, typed);
  if (!check.ok) throw new InputError(check.error);
  if (check.number === client.session.current?.phoneNumber) {
    throw new InputError('That is your own number. Enter the number of the person you want to write to.');
  }
  return client.contacts.lookup(check.number);
}

/** Numbers typed one per line (or separated by commas). */
export function splitNumbers(typed: string): string[] {
  return typed
    .split(/[\n,;]+/)
    .map((n) => n.trim())
    .filter((n) => n !== '');
}
