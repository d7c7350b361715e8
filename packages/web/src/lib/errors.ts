import { SignetApiError, SignetNetworkError } from '@signet/client';
import { WrongPasswordError } from './opaque';

/** What went wrong and what to do about it, in one or two sentences a user can act on. */
export function describeError(error: unknown): string {
  if (error instanceof WrongPasswordError) return WRONG_PASSWORD;
  if (error instanceof SignetNetworkError) {
    return 'Cannot reach the Signet server. Check your internet connection, then try again.';
  }
  if (error instanceof SignetApiError) return describeApiError(error);
  if (error instanceof Error && error.name === 'QuotaExceededError') {
    return 'Your browser has no room left to store Signet’s keys. Free some space, then try again.';
  }
  return `Something went wrong (${error instanceof Error ? error.message : String(error)}). Reload the page and try again.`;
}

const WRONG_PASSWORD =
  'That password is not the one set for this number. Check it and try again; after too many wrong passwords the number is locked for a day.';

function describeApiError(error: SignetApiError): string {
  const wait = waitText(error);
  switch (error.code) {
    case 'INVALID_PHONE_NUMBER':
      return 'This is not a valid mobile number. Check the country and the digits, then try again.';
    case 'COUNTRY_NOT_ALLOWED':
      return 'Numbers from this country cannot register on this Signet server. Use a number from another country.';
    case 'WRONG_CODE': {
      const left = error.details.attemptsLeft;
      const tries = typeof left === 'number' ? ` You have ${left} ${left === 1 ? 'try' : 'tries'} left.` : '';
      return `That code is wrong. Check the SMS and type its 6 digits again.${tries}`;
    }
    case 'CODE_EXPIRED':
      return 'This code has expired. Ask for a new code.';
    case 'SESSION_EXPIRED':
      return 'This verification has ended. Go back and enter your number again to get a new code.';
    case 'TOO_MANY_ATTEMPTS':
      return 'Too many codes were tried or sent for this number. Go back, enter your number again and ask for a new code.';
    case 'RESEND_TOO_EARLY':
      return `A code was sent a moment ago. You can ask for another ${wait}.`;
    case 'TOO_MANY_REQUESTS':
      return `Too many attempts from here. Try again ${wait}.`;
    case 'SMS_UNAVAILABLE':
      return 'The SMS could not be sent just now. Try again in a few minutes.';
    case 'WRONG_PASSWORD':
      return WRONG_PASSWORD;
    case 'NOT_VERIFIED':
      return 'The number is not confirmed yet. Enter the code from the SMS first.';
    case 'UNAUTHENTICATED':
      return 'This device is signed out (it was removed from another device, or the account was deleted). Register again to continue.';
    case 'NOT_IDENTIFIED':
      return 'Your account is not identified yet, so it cannot do this. Finish identification first.';
    case 'NOT_SUSPENDED_OR_FAILED':
      return 'There is nothing to retry: your identification is not failed or suspended any more. Reload the status.';
    case 'PERMISSION_DENIED':
      return `Not allowed: ${error.message}.`;
    case 'UNAVAILABLE':
    case 'INTERNAL':
      return 'The Signet server had a problem. Wait a minute, then try again.';
    default:
      return `The server refused: ${error.message}. Try again, or reload the page.`;
  }
}

function waitText(error: SignetApiError): string {
  const seconds = error.retryAfter;
  if (seconds === undefined) return 'in a few minutes';
  if (seconds < 90) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  return `in ${Math.ceil(seconds / 60)} minutes`;
}

export function isApiError(error: unknown, code: string): error is SignetApiError {
  return error instanceof SignetApiError && error.code === code;
}
