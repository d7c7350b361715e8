/** The narrow interface every SMS provider sits behind. */
export interface SmsGateway {
  readonly name: string;
  /** Sends one text. Throws SmsRetryableError or SmsFinalError. */
  send(message: SmsMessage): Promise<void>;
  close?(): Promise<void>;
}

export interface SmsMessage {
  /** E.164. */
  to: string;
  text: string;
}

/** The provider could not take the message now; the same send may work later. */
export class SmsRetryableError extends Error {
  override name = 'SmsRetryableError';
}

/** The provider refused the message; sending it again will not help. */
export class SmsFinalError extends Error {
  override name = 'SmsFinalError';
}
