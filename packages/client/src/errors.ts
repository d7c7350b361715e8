/** Base of the errors the SDK's services throw on purpose; server answers are `SignetApiError`s. */
export class SignetClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** No session in the key store: register (or restore a profile) first. */
export class NotRegisteredError extends SignetClientError {
  constructor() {
    super('this device is not registered: register a phone number first');
  }
}

/** The key store already holds a registered device; use another store (profile) for another one. */
export class AlreadyRegisteredError extends SignetClientError {}

/** The account is not identified, so it can neither send nor receive messages yet. */
export class NotIdentifiedError extends SignetClientError {
  constructor(readonly state: string) {
    super(`the account is ${state}, not identified: it cannot send or receive messages yet`);
  }
}

/** No identified account holds the number (or it refuses this account: the answer does not say). */
export class UserNotFoundError extends SignetClientError {
  constructor(readonly phoneNumber: string) {
    super(`no identified Signet account holds ${phoneNumber}`);
  }
}

/** The account cannot be messaged: it is not identified (or does not exist, or refuses us: the server does not say). */
export class RecipientUnavailableError extends SignetClientError {
  constructor(readonly accountId: string) {
    super(`account ${accountId} cannot receive messages: it is not an identified account that can be added`);
  }
}

/** The account exists but none of its devices can be added (no KeyPackages uploaded, or not identified). */
export class NoDevicesError extends SignetClientError {
  constructor(readonly accountId: string) {
    super(`account ${accountId} has no device ready to receive messages`);
  }
}

export class UnknownConversationError extends SignetClientError {
  constructor(readonly conversationId: string) {
    super(`no conversation ${conversationId} on this device`);
  }
}

/** The conversation is known, but this device is no longer in it (removed, or left). */
export class NotInConversationError extends SignetClientError {
  constructor(readonly conversationId: string) {
    super(`this device is no longer a member of conversation ${conversationId}`);
  }
}

/** The OPAQUE login could not finish: the password is not the one the number is locked with. */
export class WrongPasswordError extends SignetClientError {
  constructor() {
    super('the password is wrong');
  }
}

/** The server's MLS external-sender key differs from the one pinned at first contact. */
export class ServerKeyChangedError extends SignetClientError {}

/** A commit lost a race and the winning commit did not arrive in time (is the connection running?). */
export class CatchUpTimeoutError extends SignetClientError {}

/** An application message whose content is not Signet's message format. */
export class ContentError extends SignetClientError {}
