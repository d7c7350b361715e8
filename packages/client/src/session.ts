import type { Account, AccountState, IdentificationStatus, Registered, VerificationSession } from '@signet/protocol';
import type { SignetApi } from './api/endpoints';
import { AlreadyRegisteredError, NotIdentifiedError, NotRegisteredError } from './errors';
import { passwordProof, setPassword } from './opaque';
import { getJson, type KeyStore, putJson } from './store/key-store';

const SESSION_KEY = 'session';

/** What a registered device keeps about itself. The token is a secret. */
export interface SessionRecord {
  accountId: string;
  deviceId: string;
  token: string;
  phoneNumber: string;
  deviceName: string;
  /** The server it registered with, so that a profile knows where it belongs. */
  serverUrl: string;
  /** The last identification state seen (from registration, status calls and pushed events). */
  state: AccountState;
  registeredAt: number;
}

export interface RegisterInput {
  verificationSessionId: string;
  deviceName: string;
  /** The registration-lock password, when the number's account has one. */
  password?: string;
  /** Start a new account when the old one's lock no longer protects it (see the protocol's `Register`). */
  newAccount?: boolean;
}

/**
 * Registration and the device's session: verifying a number by SMS, registering (with the OPAQUE
 * password proof when the number is locked), identification status, and the token kept in the key store.
 */
export class SessionService {
  #current: SessionRecord | undefined;

  constructor(
    private readonly api: SignetApi,
    private readonly store: KeyStore,
  ) {}

  /** Reads the session from the key store and authenticates the API client with it. */
  async load(): Promise<SessionRecord | undefined> {
    this.#current = await getJson<SessionRecord>(this.store, SESSION_KEY);
    this.api.http.setToken(this.#current?.token);
    return this.#current;
  }

  get current(): SessionRecord | undefined {
    return this.#current;
  }

  require(): SessionRecord {
    if (!this.#current) throw new NotRegisteredError();
    return this.#current;
  }

  startVerification(phoneNumber: string): Promise<VerificationSession> {
    return this.api.startVerification(phoneNumber);
  }

  verifyCode(verificationSessionId: string, code: string): Promise<VerificationSession> {
    return this.api.verifyCode(verificationSessionId, code.trim());
  }

  resendCode(verificationSessionId: string): Promise<VerificationSession> {
    return this.api.resendCode(verificationSessionId);
  }

  /** Registers this device on a verified session and stores the session; refuses if one is stored already. */
  async register(input: RegisterInput): Promise<Registered> {
    if (this.#current ?? (await getJson<SessionRecord>(this.store, SESSION_KEY))) {
      throw new AlreadyRegisteredError('this key store already holds a registered device');
    }
    const verification = await this.api.verification(input.verificationSessionId);
    const password =
      input.password === undefined
        ? undefined
        : await passwordProof(this.api, input.verificationSessionId, input.password);
    const registered = await this.api.register({
      verificationSessionId: input.verificationSessionId,
      deviceName: input.deviceName,
      ...(password ? { password } : {}),
      ...(input.newAccount ? { newAccount: true } : {}),
    });
    await this.save({
      accountId: registered.accountId,
      deviceId: registered.deviceId,
      token: registered.token,
      phoneNumber: verification.phoneNumber,
      deviceName: input.deviceName,
      serverUrl: this.api.http.baseUrl,
      state: registered.state,
      registeredAt: Date.now(),
    });
    return registered;
  }

  /** The identification status from the server; remembers the state. */
  async identification(): Promise<IdentificationStatus> {
    this.require();
    const status = await this.api.identification();
    await this.noteState(status.state);
    return status;
  }

  /** Asks the operator again after a failure or a suspension, on a freshly verified session. */
  async reidentify(verificationSessionId: string, password?: string): Promise<IdentificationStatus> {
    this.require();
    const proof = password === undefined ? undefined : await passwordProof(this.api, verificationSessionId, password);
    const status = await this.api.retryIdentification({ verificationSessionId, ...(proof ? { password: proof } : {}) });
    await this.noteState(status.state);
    return status;
  }

  account(): Promise<Account> {
    this.require();
    return this.api.account();
  }

  setPassword(password: string): Promise<void> {
    this.require();
    return setPassword(this.api, password);
  }

  /** Records a state learnt from a pushed `identification.changed` event or a status call. */
  async noteState(state: AccountState): Promise<void> {
    const current = this.require();
    if (current.state === state) return;
    await this.save({ ...current, state });
  }

  /** Throws `NotIdentifiedError` unless the last known state is identified. */
  assertIdentified(): void {
    const { state } = this.require();
    if (state !== 'identified') throw new NotIdentifiedError(state);
  }

  /** Ends the session on the server and forgets the token (the rest of the key store stays). */
  async logout(): Promise<void> {
    this.require();
    await this.api.logout().catch(() => undefined);
    await this.store.delete(SESSION_KEY);
    this.#current = undefined;
    this.api.http.setToken(undefined);
  }

  private async save(record: SessionRecord): Promise<void> {
    await putJson(this.store, SESSION_KEY, record);
    this.#current = record;
    this.api.http.setToken(record.token);
  }
}
