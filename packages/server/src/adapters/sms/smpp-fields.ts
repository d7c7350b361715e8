import smpp from 'smpp';
import { SmsFinalError } from './gateway';

/** Command statuses (SMPP 3.4, section 5.1.3) that the gateway tells apart. */
export const ESME = {
  ROK: 0x00,
  RINVCMDID: 0x03,
  RINVBNDSTS: 0x04,
  RSYSERR: 0x08,
  RINVDSTADR: 0x0b,
  RINVPASWD: 0x0e,
  RMSGQFUL: 0x14,
  RTHROTTLED: 0x58,
  RX_T_APPN: 0x64,
} as const;

/**
 * Statuses after which the same submit_sm may succeed later: the SMSC is overloaded, throttling us,
 * failing internally, or thinks we are not bound (we rebind). Every other status refuses the message.
 */
const RETRYABLE: ReadonlySet<number> = new Set([
  ESME.RTHROTTLED,
  ESME.RMSGQFUL,
  ESME.RSYSERR,
  ESME.RX_T_APPN,
  ESME.RINVBNDSTS,
]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE.has(status);
}

export function statusName(status: number): string {
  const name = Object.entries(smpp.errors).find(([, value]) => value === status)?.[0] ?? 'unknown status';
  return `${name} (0x${status.toString(16).padStart(2, '0')})`;
}

// TON/NPI values, SMPP 3.4 section 5.2.5-5.2.6.
const TON_UNKNOWN = 0;
const TON_INTERNATIONAL = 1;
const TON_ALPHANUMERIC = 5;
const NPI_UNKNOWN = 0;
const NPI_ISDN = 1;

/** An E.164 number goes as its digits with TON international and NPI ISDN; the '+' is not part of an address. */
export function destinationFields(e164: string): Record<string, unknown> {
  if (!/^\+[1-9]\d{1,14}$/.test(e164)) throw new SmsFinalError('SMS destination is not an E.164 number');
  return { dest_addr_ton: TON_INTERNATIONAL, dest_addr_npi: NPI_ISDN, destination_addr: e164.slice(1) };
}

/** The sender: an international number, a short code or other digits, or an alphanumeric name. */
export function sourceFields(source: string): Record<string, unknown> {
  if (/^\+\d+$/.test(source)) {
    return { source_addr_ton: TON_INTERNATIONAL, source_addr_npi: NPI_ISDN, source_addr: source.slice(1) };
  }
  if (/^\d+$/.test(source)) return { source_addr_ton: TON_UNKNOWN, source_addr_npi: NPI_ISDN, source_addr: source };
  return { source_addr_ton: TON_ALPHANUMERIC, source_addr_npi: NPI_UNKNOWN, source_addr: source };
}

// Characters with the same code in the GSM 03.38 default alphabet, ASCII and Latin-1. Text made only
// of them reads the same whichever of those the SMSC takes data_coding 0 to mean, so it can go as
// one byte per character. Anything else ('@', '$', '_', accents, Cyrillic, emoji) goes as UCS2.
const SAME_IN_GSM_AND_ASCII = /^[A-Za-z0-9 \n\r!"#%&'()*+,\-./:;<=>?]*$/;
const DATA_CODING_DEFAULT = 0x00;
const DATA_CODING_UCS2 = 0x08;
/** The most one SMS holds: 160 default-alphabet characters, or 70 UCS2 characters (140 bytes). */
const SINGLE_SMS_BYTES = { [DATA_CODING_DEFAULT]: 160, [DATA_CODING_UCS2]: 140 };

/**
 * data_coding and the encoded text. Text longer than one SMS goes in the message_payload TLV
 * (SMPP 3.4 section 5.3.2.32), which the SMSC splits, instead of short_message.
 */
export function textFields(text: string): Record<string, unknown> {
  const plain = SAME_IN_GSM_AND_ASCII.test(text);
  const dataCoding = plain ? DATA_CODING_DEFAULT : DATA_CODING_UCS2;
  // UCS2 is big-endian UTF-16; characters outside the BMP travel as surrogate pairs, as phones expect.
  const bytes = plain ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf16le').swap16();
  if (bytes.length <= SINGLE_SMS_BYTES[dataCoding]) return { data_coding: dataCoding, short_message: bytes };
  return { data_coding: dataCoding, short_message: Buffer.alloc(0), message_payload: bytes };
}
