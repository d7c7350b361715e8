import { DAY, HOUR, MINUTE } from '@signet/common';

/** A limit: at most `count` events per `periodMs`, refilled evenly over the period. */
export interface Limit {
  count: number;
  periodMs: number;
}

/**
 * Every named limiter with its default. Keys say what each is counted by.
 * Each can be changed with SIGNET_LIMIT_<NAME> (upper case, dashes as underscores) = `count/period`.
 */
export const DEFAULT_LIMITS = {
  /** SMS codes sent to one number (new sessions and resends). */
  'sms-number': { count: 6, periodMs: HOUR },
  /** SMS codes requested from one client address. */
  'sms-address': { count: 20, periodMs: HOUR },
  /** SMS codes sent into one number prefix (country code and the next digits), against SMS pumping. */
  'sms-prefix': { count: 200, periodMs: HOUR },
  /** Code guesses for one number, across sessions. */
  'code-check-number': { count: 15, periodMs: HOUR },
  /** Code guesses from one client address. */
  'code-check-address': { count: 60, periodMs: HOUR },
  /** Registrations (and registration-lock logins) from one client address. */
  'registration-address': { count: 30, periodMs: HOUR },
  /** Password changes of one account. */
  'password-change': { count: 10, periodMs: DAY },
  /** Number lookups by one account, against enumeration of the numbering space. */
  'lookup-account': { count: 60, periodMs: HOUR },
  /** Number lookups from one client address. */
  'lookup-address': { count: 120, periodMs: HOUR },
  /** Public channels created by one account. */
  'channel-create': { count: 10, periodMs: DAY },
  /** Posts to public channels by one account (its channels together). */
  'channel-post': { count: 120, periodMs: HOUR },
  /** Requests to the development SMS sink. */
  'dev-sms': { count: 120, periodMs: MINUTE },
} satisfies Record<string, Limit>;

export type LimiterName = keyof typeof DEFAULT_LIMITS;
export type Limits = Record<LimiterName, Limit>;
