import {
  CatchUpTimeoutError,
  NoDevicesError,
  NotIdentifiedError,
  NotInConversationError,
  RecipientUnavailableError,
  SignetApiError,
  SignetClientError,
  SignetNetworkError,
  UserNotFoundError,
  WrongPasswordError,
} from '@signet/client';
import { sentence } from './format';
import { formatPhone } from './phone';

/** Something the user typed that cannot be used, said as what to fix. */
export class InputError extends Error {
  override name = 'InputError';
}

/** What went wrong and what to do about it, in one or two sentences a user can act on. */
export function describeError(error: unknown): string {
  if (error instanceof WrongPasswordError) return WRONG_PASSWORD;
  if (error instanceof SignetNetworkError) {
    return 'Cannot reach the Signet server. Check your internet connection, then try again.';
  }
  if (error instanceof InputError) return error.message;
  if (error instanceof SignetApiError) return describeApiError(error);
  if (error instanceof SignetClientError) return describeClientError(error);
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
    case 'RESTRICTED':
      // An authority's order: the server names it, unless the order forbids telling.
      // 403: an order on this account (told in Settings); 451: on a public channel or its content.
      return error.status === 403
        ? `${sentence(error.message)} See Settings, “Authority orders”.`
        : sentence(error.message);
    case 'RECIPIENT_NOT_IDENTIFIED':
      return 'Someone in this conversation is not identified right now (or is suspended), so Signet cannot deliver to them. Try again later.';
    case 'CANNOT_ADD':
      return 'One of these people cannot be added: they are not identified, or they do not accept messages from you.';
    case 'NOT_A_MEMBER':
      return 'You are no longer a member of this conversation.';
    case 'EPOCH_CONFLICT':
      return 'Other members changed the group at the same moment. Try again.';
    case 'TOO_LARGE':
      return 'That is too large to send: files can be up to 25 MB. Pick a smaller file.';
    case 'NOT_FOUND':
      return 'That is gone from the server (files are kept for a limited time). Ask the sender to send it again.';
    case 'UNAVAILABLE':
    case 'INTERNAL':
      return 'The Signet server had a problem. Wait a minute, then try again.';
    default:
      return `The server refused: ${error.message}. Try again, or reload the page.`;
  }
}

function describeClientError(error: SignetClientError): string {
  if (error instanceof UserNotFoundError) {
    return `No identified Signet account has the number ${formatPhone(error.phoneNumber)}. Check the number, or ask them to join Signet and finish identification.`;
  }
  if (error instanceof RecipientUnavailableError) {
    return 'This person cannot receive messages now: they are not identified, or they do not accept messages from you.';
  }
  if (error instanceof NoDevicesError) {
    return 'This person has no device ready for messages yet. Ask them to open Signet once, then try again.';
  }
  if (error instanceof NotInConversationError) return 'You are no longer a member of this conversation.';
  if (error instanceof NotIdentifiedError) {
    return 'Your account is not identified now, so it cannot send or receive messages. See Identification.';
  }
  if (error instanceof CatchUpTimeoutError) {
    return 'Another member changed the group at the same moment, and that change has not reached this browser. Check your connection, then try again.';
  }
  return `${error.message[0]?.toUpperCase() ?? ''}${error.message.slice(1)}. Try again, or reload the page.`;
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
