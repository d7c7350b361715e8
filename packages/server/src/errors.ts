import type { ErrorCode } from '@signet/protocol';

/** Every error that reaches a client as `{ status, code, message }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds; sent as Retry-After. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const invalidArgument = (message: string, code: ErrorCode = 'INVALID_ARGUMENT') =>
  new ApiError(400, code, message);
export const unauthenticated = (message = 'a valid session token is required') =>
  new ApiError(401, 'UNAUTHENTICATED', message);
export const permissionDenied = (message: string) => new ApiError(403, 'PERMISSION_DENIED', message);
export const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message);
export const conflict = (message: string, code: ErrorCode = 'CONFLICT') => new ApiError(409, code, message);

/** A 429 that tells the caller when to come back. */
export function tooManyRequests(retryAfterMs: number, message: string, code: ErrorCode = 'TOO_MANY_REQUESTS') {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(429, code, message, { retryAfterSeconds: seconds }, seconds);
}
