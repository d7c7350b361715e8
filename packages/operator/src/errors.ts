/** Every error that reaches a caller as the CAMARA shape `{ status, code, message }` (spec 2). */
export class OperatorApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds; sent as Retry-After. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'OperatorApiError';
  }
}

export const invalidArgument = (message: string) => new OperatorApiError(400, 'INVALID_ARGUMENT', message);
export const unauthenticated = (message = 'the request is not signed by a known messenger') =>
  new OperatorApiError(401, 'UNAUTHENTICATED', message);
export const notFound = (message: string) => new OperatorApiError(404, 'NOT_FOUND', message);
export const idReused = (message: string) => new OperatorApiError(409, 'ID_REUSED', message);
export const tooLarge = (message: string) => new OperatorApiError(413, 'TOO_LARGE', message);

/** A domain error: the number has no subscriber. */
export class SubscriberNotFoundError extends Error {
  constructor(readonly phoneNumber: string) {
    super(`no subscriber with number ${phoneNumber}`);
    this.name = 'SubscriberNotFoundError';
  }
}

/** A domain error: the subscriber's contract is not in a state that allows the change. */
export class SubscriberStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubscriberStateError';
  }
}

/** A domain error: input that is not an E.164 number or not a known status. */
export class SubscriberInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubscriberInputError';
  }
}
