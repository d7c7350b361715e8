import { type Clock, type Logger, MINUTE, randomId } from '@signet/common';
import type { Account, Device, IdentificationReason, Register, Registered, Reidentify } from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { Schema, ServerDatabase } from '../db';
import { ApiError, invalidArgument, notFound, unauthenticated } from '../errors';
import type { IdentificationManager, StateChange } from '../identification/identification-manager';
import type { RateLimiters } from '../rate-limit/registry';
import type { VerificationManager } from '../verification/verification-manager';
import type { AccountRow } from './account-store';
import * as store from './account-store';
import { newAccountRow } from './new-account';
import type { AccountNotifier } from './notifier';
import type { RegistrationLock } from './registration-lock';
import { hashSessionToken, newSessionToken } from './tokens';

export interface AuthenticatedDevice {
  accountId: string;
  deviceId: string;
  state: AccountRow['state'];
}

export interface AccountDeps {
  db: ServerDatabase;
  clock: Clock;
  limiters: RateLimiters;
  verification: VerificationManager;
  lock: RegistrationLock;
  notifier: AccountNotifier;
  identification: IdentificationManager;
  /** Proposes the removal of retired accounts' devices from their groups. */
  groups: { proposeRemovals(): Promise<number> };
  log: Logger;
}

/** Control characters and unpaired surrogates: PostgreSQL cannot store NUL, and none belongs in a name. */
const UNPRINTABLE = /[\p{Cc}\p{Cs}]/u;

/** How often a device's last-seen time is written, at most. */
const TOUCH_INTERVAL = MINUTE;

/** Accounts, their devices and sessions, and registration by a verified number. */
export class AccountManager {
  constructor(private readonly deps: AccountDeps) {}

  async register(input: Register, address: string): Promise<Registered> {
    if (UNPRINTABLE.test(input.deviceName)) {
      throw invalidArgument('deviceName must not contain control characters or unpaired surrogates');
    }
    this.deps.limiters.get('registration-address').consume(address);
    const session = await this.deps.verification.requireVerified(input.verificationSessionId);
    const phone = session.phone_number;
    const now = this.deps.clock.now();
    // Possession was proven when the code was entered, which may be minutes before this call (spec 4.1).
    const provedAt = session.verified_at ?? now;
    const { token, hash } = newSessionToken();
    const deviceId = randomId('dv');
    const route = await this.deps.identification.route(phone);

    const result = await this.deps.db.transaction(async (tx) => {
      const existing = await store.getLiveAccountByNumber(tx, phone);
      let account: AccountRow;
      let outcome: Registered['outcome'];
      let retired: { account: AccountRow; deviceIds: string[] } | undefined;
      if (!existing) {
        account = await this.createAccount(tx, phone, now);
        outcome = 'created';
      } else if (input.password && existing.password_record !== null) {
        await this.deps.lock.finishLogin(tx, existing, session.id, input.password);
        account = existing;
        outcome = 'existing';
      } else {
        const lock = this.deps.lock.status(existing);
        const takeOver = existing.password_record === null && !isTerminated(existing);
        if (lock.locked) {
          throw new ApiError(
            423,
            'REGISTRATION_LOCKED',
            'this number is protected by a password; enter it to continue',
            {
              lockedUntil: lock.lockedUntil,
              newAccountAllowed: false,
            },
          );
        }
        if (takeOver) {
          account = existing;
          outcome = 'existing';
        } else if (existing.password_record !== null && !input.newAccount) {
          // The lock has lapsed: the owner may still prove the password, or the caller may start afresh.
          throw new ApiError(
            423,
            'REGISTRATION_LOCKED',
            'this number has an account protected by a password; enter it, or ask for a new account',
            { lockedUntil: null, newAccountAllowed: true },
          );
        } else {
          // A recycled or lapsed number: a new account, and the old one is never handed over.
          const oldDevices = await store.listDevices(tx, existing.id);
          await store.retireAccount(tx, existing.id, now);
          await store.recordAccountEvent(tx, { account_id: existing.id, type: 'account.retired', at: now });
          retired = { account: existing, deviceIds: oldDevices.map((d) => d.id) };
          account = await this.createAccount(tx, phone, now);
          outcome = 'replaced';
        }
      }
      await this.deps.verification.consume(tx, session.id);
      await store.insertDevice(tx, {
        id: deviceId,
        account_id: account.id,
        name: input.deviceName,
        token_hash: hash,
        created_at: now,
        last_seen_at: now,
      });
      await store.touchAccount(tx, account.id, now);
      await store.setPossessionVerified(tx, account.id, provedAt);
      await store.recordAccountEvent(tx, {
        account_id: account.id,
        type: outcome === 'existing' ? 'device.added' : 'account.registered',
        at: now,
        address,
        detail: { deviceId, phoneNumber: phone },
      });
      // Right after a successful SMS verification, the operator is asked (unless the account needs nothing).
      const reason = identificationReason(account, outcome);
      const change = reason ? await this.deps.identification.begin(tx, account, reason, route, provedAt) : undefined;
      return { account, outcome, retired, change };
    });
    if (result.change) await this.deps.identification.announce([result.change]);

    if (result.retired) {
      await this.deps.notifier.notify(result.retired.account.id, { type: 'account.retired', at: now });
      // Their sessions went with the account: live connections end too, as on deletion.
      for (const id of result.retired.deviceIds) await this.deps.notifier.disconnect(id, 'account retired');
      // The registration stands either way; the janitor proposes what this could not.
      await this.deps.groups
        .proposeRemovals()
        .catch((error: unknown) => this.deps.log.warn({ err: error }, 'proposing group removals failed; will retry'));
    }
    if (result.outcome === 'existing') {
      await this.deps.notifier.notify(
        result.account.id,
        { type: 'device.linked', deviceId, name: input.deviceName, at: now },
        deviceId,
      );
    }
    this.deps.log.info({ accountId: result.account.id, deviceId, outcome: result.outcome }, 'registered');
    const state = result.change?.state ?? result.account.state;
    return { accountId: result.account.id, deviceId, token, state, outcome: result.outcome };
  }

  /**
   * A new identification request for a failed or suspended account, on fresh proof of possession of the
   * number, and on the password too when a suspended account has one (spec 4.4).
   */
  async reidentify(auth: AuthenticatedDevice, input: Reidentify, address: string): Promise<void> {
    this.deps.limiters.get('registration-address').consume(address);
    const session = await this.deps.verification.requireVerified(input.verificationSessionId);
    const account = await store.getAccount(this.deps.db.db, auth.accountId);
    if (!account) throw notFound('no such account');
    if (session.phone_number !== account.phone_number) {
      throw new ApiError(403, 'PERMISSION_DENIED', "the verified number is not this account's number");
    }
    if (account.state !== 'failed' && account.state !== 'suspended') {
      throw new ApiError(409, 'NOT_SUSPENDED_OR_FAILED', `the account is ${account.state}; there is nothing to retry`);
    }
    const route = await this.deps.identification.route(account.phone_number);
    const now = this.deps.clock.now();
    const change: StateChange = await this.deps.db.transaction(async (tx) => {
      if (account.state === 'suspended' && account.password_record !== null) {
        if (!input.password) {
          throw new ApiError(423, 'REGISTRATION_LOCKED', 'enter your password to re-identify', {
            lockedUntil: null,
            newAccountAllowed: false,
          });
        }
        await this.deps.lock.finishLogin(tx, account, session.id, input.password);
      }
      await this.deps.verification.consume(tx, session.id);
      const provedAt = session.verified_at ?? now;
      await store.setPossessionVerified(tx, account.id, provedAt);
      const reason = account.state === 'suspended' ? 'reidentification' : 'registration';
      return this.deps.identification.begin(tx, account, reason, route, provedAt);
    });
    await this.deps.identification.announce([change]);
  }

  async startPasswordLogin(verificationSessionId: string, startLoginRequest: string, address: string) {
    this.deps.limiters.get('registration-address').consume(address);
    const session = await this.deps.verification.requireVerified(verificationSessionId);
    const account = await store.getLiveAccountByNumber(this.deps.db.db, session.phone_number);
    if (!account || account.password_record === null) {
      throw new ApiError(409, 'CONFLICT', 'this number has no account with a registration-lock password');
    }
    return this.deps.lock.startLogin(account, session.id, startLoginRequest);
  }

  /** Resolves a bearer token to its device; refreshes last-seen at most once a minute. */
  async authenticate(token: string): Promise<AuthenticatedDevice> {
    const row = await store.findSessionByTokenHash(this.deps.db.db, hashSessionToken(token));
    if (!row) throw unauthenticated('the session token is not valid (revoked, or never issued)');
    const now = this.deps.clock.now();
    if (now - row.device_last_seen_at >= TOUCH_INTERVAL) {
      await store.touchDevice(this.deps.db.db, row.device_id, row.account_id, now);
    }
    return { accountId: row.account_id, deviceId: row.device_id, state: row.state };
  }

  async get(accountId: string): Promise<Account> {
    const row = await store.getAccount(this.deps.db.db, accountId);
    if (!row) throw notFound('no such account');
    return {
      accountId: row.id,
      phoneNumber: row.phone_number,
      state: row.state,
      hasPassword: row.password_record !== null,
      createdAt: row.created_at,
    };
  }

  async devices(auth: AuthenticatedDevice): Promise<Device[]> {
    const rows = await store.listDevices(this.deps.db.db, auth.accountId);
    return rows.map((d) => ({
      id: d.id,
      name: d.name,
      createdAt: d.created_at,
      lastSeenAt: d.last_seen_at,
      current: d.id === auth.deviceId,
    }));
  }

  /**
   * Revokes a device of the caller's account and ends its session (logging out when it is the caller's).
   * `address`: the client address that asked, kept with the account event.
   */
  async revokeDevice(auth: AuthenticatedDevice, deviceId: string, address: string | null = null): Promise<void> {
    const now = this.deps.clock.now();
    const removed = await this.deps.db.transaction(async (tx) => {
      const ok = await store.deleteDevice(tx, auth.accountId, deviceId);
      if (ok)
        await store.recordAccountEvent(tx, {
          account_id: auth.accountId,
          type: 'device.removed',
          at: now,
          address,
          detail: { deviceId },
        });
      return ok;
    });
    if (!removed) throw notFound('no such device on this account');
    await this.deps.notifier.disconnect(deviceId, 'device revoked');
    await this.deps.notifier.notify(auth.accountId, { type: 'device.revoked', deviceId, at: now }, deviceId);
  }

  /** Deletes the account and everything of it but the account events the retention period keeps. */
  async deleteAccount(auth: AuthenticatedDevice, address: string | null = null): Promise<void> {
    const now = this.deps.clock.now();
    const devices = await store.listDevices(this.deps.db.db, auth.accountId);
    await this.deps.db.transaction(async (tx) => {
      await store.deleteAccount(tx, auth.accountId);
      await store.recordAccountEvent(tx, { account_id: auth.accountId, type: 'account.deleted', at: now, address });
    });
    for (const d of devices) await this.deps.notifier.disconnect(d.id, 'account deleted');
  }

  startPasswordSetup(auth: AuthenticatedDevice, registrationRequest: string): string {
    this.deps.limiters.get('password-change').consume(auth.accountId);
    return this.deps.lock.registrationResponse(auth.accountId, registrationRequest);
  }

  async setPassword(auth: AuthenticatedDevice, registrationRecord: string | null): Promise<void> {
    await store.setPasswordRecord(this.deps.db.db, auth.accountId, registrationRecord);
  }

  async sweep(): Promise<void> {
    await this.deps.lock.sweep();
  }

  private async createAccount(tx: Kysely<Schema>, phone: string, now: number): Promise<AccountRow> {
    const account = newAccountRow(phone, now);
    await store.insertAccount(tx, account);
    return account;
  }
}

/** What a registration asks of the operator, if anything. */
function identificationReason(account: AccountRow, outcome: Registered['outcome']): IdentificationReason | undefined {
  if (outcome !== 'existing') return 'registration';
  switch (account.state) {
    case 'suspended':
      return 'reidentification';
    case 'failed':
      return 'registration';
    case 'unverified':
      return 'existing_user';
    default:
      return undefined;
  }
}

/** Suspended because the operator said the number's contract ended. */
function isTerminated(account: AccountRow): boolean {
  return account.state === 'suspended' && account.suspended_reason !== null;
}
