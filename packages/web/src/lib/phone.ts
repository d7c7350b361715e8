import type { Country } from './countries';

export type PhoneCheck = { ok: true; number: string } | { ok: false; error: string };

/**
 * Turns what the user typed into an E.164 number, or says what to fix. Only the obvious is checked here;
 * the server has the last word (INVALID_PHONE_NUMBER, COUNTRY_NOT_ALLOWED).
 */
export function toE164(country: Country, typed: string): PhoneCheck {
  const trimmed = typed.trim();
  if (trimmed === '') return { ok: false, error: 'Enter your phone number.' };
  const international = trimmed.startsWith('+');
  const digits = trimmed.replace(/[\s().-]/g, '').replace(/^\+/, '');
  if (!/^[0-9]+$/.test(digits)) {
    return { ok: false, error: 'Use digits only (spaces, dashes and brackets are fine).' };
  }
  if (international) {
    if (digits.length < 5 || digits.length > 15) {
      return { ok: false, error: 'An international number has 5 to 15 digits after the +.' };
    }
    return { ok: true, number: `+${digits}` };
  }
  let national = digits;
  // People in Russia and Kazakhstan often write the trunk prefix 8 instead of +7.
  if (country.dialCode === '+7' && national.length === 11 && /^[78]/.test(national)) national = national.slice(1);
  if (country.digits !== undefined && national.length !== country.digits) {
    return {
      ok: false,
      error: `Numbers in ${country.name} have ${country.digits} digits after ${country.dialCode}, for example ${country.example}. You typed ${national.length}.`,
    };
  }
  return { ok: true, number: `${country.dialCode}${national}` };
}

/** +79001234567 as +7 900 123-45-67 for +7 numbers; other numbers as they are. */
export function formatPhone(e164: string): string {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(e164);
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : e164;
}
