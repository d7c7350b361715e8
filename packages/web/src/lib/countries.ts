/** Countries offered by the number form; the server decides which of them may register. */
export interface Country {
  iso: string;
  name: string;
  dialCode: string;
  /** A national number written as people do, shown as an example. */
  example: string;
  /** How many digits follow the dial code, when every number of the country has the same count. */
  digits?: number;
}

export const COUNTRIES: readonly Country[] = [
  { iso: 'RU', name: 'Russia', dialCode: '+7', example: '900 123-45-67', digits: 10 },
  { iso: 'KZ', name: 'Kazakhstan', dialCode: '+7', example: '701 123 4567', digits: 10 },
  { iso: 'BY', name: 'Belarus', dialCode: '+375', example: '29 123-45-67', digits: 9 },
  { iso: 'AM', name: 'Armenia', dialCode: '+374', example: '77 123456', digits: 8 },
  { iso: 'KG', name: 'Kyrgyzstan', dialCode: '+996', example: '700 123 456', digits: 9 },
  { iso: 'UZ', name: 'Uzbekistan', dialCode: '+998', example: '90 123 45 67', digits: 9 },
];

export const DEFAULT_COUNTRY = COUNTRIES[0]!;

export function countryByIso(iso: string): Country {
  return COUNTRIES.find((c) => c.iso === iso) ?? DEFAULT_COUNTRY;
}
