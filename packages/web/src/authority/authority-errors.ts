import { SignetApiError } from '@signet/client';
import { describeError } from '../lib/errors';
import { sentence } from '../lib/format';

/** What a refusal of the authority API means and what to do, in a sentence or two. */
export function describeAuthorityError(error: unknown): string {
  if (!(error instanceof SignetApiError)) {
    if (error instanceof Error && (error.name === 'NotSupportedError' || error.name === 'DataError')) {
      return 'The private key in this credential cannot be used: it must be an Ed25519 key (PKCS#8), and this browser must support Ed25519 signatures. Check the file, or use a current browser.';
    }
    return describeError(error);
  }
  const reason = typeof error.details.reason === 'string' ? error.details.reason : undefined;
  if (error.code === 'UNAUTHENTICATED') {
    switch (reason) {
      case 'bad-signature':
        return 'Bad signature: the server does not accept this credential’s signature. Its private key is not the one registered for this authority (the key may have been replaced). Ask the Signet administrator for the current credential.';
      case 'unknown-authority':
        return 'The server knows no such authority: this credential is for another Signet server, or the authority was removed.';
      case 'stale': {
        const server = typeof error.details.serverTime === 'number' ? error.details.serverTime * 1000 : undefined;
        const at = server ? ` (the server’s time is ${new Date(server).toLocaleString()})` : '';
        return `This computer’s clock is more than 5 minutes off the server’s${at}. Set the clock right, then try again.`;
      }
      case 'replayed':
        return 'The server saw this signed request already. Try again: each attempt is signed afresh.';
      default:
        return `The server did not accept the request’s signature: ${error.message}.`;
    }
  }
  if (error.code === 'PERMISSION_DENIED') {
    if (reason === 'disabled') {
      return 'This authority is disabled: the server refuses all its requests. Contact the Signet administrator.';
    }
    if (reason === 'missing-role') {
      return `Refused: ${error.message}. Ask the Signet administrator to grant the role.`;
    }
    return `Refused: ${error.message}.`;
  }
  if (error.code === 'INVALID_ARGUMENT' || error.code === 'INVALID_SIGNATURE' || error.code === 'NOT_FOUND') {
    return `The server refused: ${sentence(error.message)}`;
  }
  if (error.code === 'CONFLICT') return `The server refused: ${sentence(error.message)}`;
  return describeError(error);
}
