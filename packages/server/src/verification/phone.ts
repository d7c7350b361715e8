import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { ServerConfig } from '../config/config';
import { invalidArgument } from '../errors';

export interface PhoneNumber {
  /** E.164 with a leading plus. */
  e164: string;
  country: string | undefined;
}

/** Normalises what a user typed to E.164, and applies the allow-list of countries and prefixes. */
export function normalisePhone(input: string, phone: ServerConfig['phone']): PhoneNumber {
  const parsed = parsePhoneNumberFromString(input.trim(), phone.defaultRegion as CountryCode);
  if (!parsed?.isValid()) {
    throw invalidArgument(`${JSON.stringify(input)} is not a valid phone number`, 'INVALID_PHONE_NUMBER');
  }
  const e164 = parsed.number;
  const country = parsed.country;
  const countryAllowed = phone.allowedCountries.length === 0 || (country && phone.allowedCountries.includes(country));
  const prefixAllowed = phone.allowedPrefixes.length === 0 || phone.allowedPrefixes.some((p) => e164.startsWith(p));
  if (!countryAllowed || !prefixAllowed) {
    throw invalidArgument(`numbers of ${country ?? 'this range'} cannot register here`, 'COUNTRY_NOT_ALLOWED');
  }
  return { e164, country };
}

/** The prefix that SMS-pumping limits count by: the country code and the next digits (7 characters). */
export function pumpingPrefix(e164: string): string {
  return e164.slice(0, 7);
}
