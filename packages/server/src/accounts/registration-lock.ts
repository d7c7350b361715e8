import * as opaque from '@serenity-kit/opaque';
import { type Clock, DAY, MINUTE, randomId } from '@signet/common';
import type { Kysely } from 'kysely';
import type { ServerConfig } from '../config/config';
import type { Schema, ServerDatabase } from '../db';
import { ApiError, tooManyRequests } from '../errors';
import type { AccountRow } from './account-store';
import type { AccountNotifier } from './notifier';

const LOGIN_TTL = 5 * MINUTE;

/**
 * The registration lock: a password set with OPAQUE that a new registration of the number must prove.
 * With OPAQUE a wrong password is found out by the client, which then cannot finish the login, so
 * every started login counts as a failure until it finishes; ten a day per account.
 */
export class RegistrationLock {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly config: ServerConfig['registrationLock'],
    private readonly opaqueSetup: string,
    private readonly notifier: AccountNotifier,
  ) {}

  /** Whether the password still protects the account, and until when. */
  status(account: AccountRow): { locked: boolean; lockedUntil: number | null } {
    if (account.password_record === null) return { locked: false, lockedUntil: null };
    // A number whose contract ended may be someone else's now: the password no longer keeps them out.
    if (account.state === 'suspended' && account.suspended_reason !== null) return { locked: false, lockedUntil: null };
    const lockedUntil = account.last_active_at + this.config.lockPeriodMs;
    return this.clock.now() < lockedUntil ? { locked: true, lockedUntil } : { locked: false, lockedUntil: null };
  }

  async startLogin(account: AccountRow, verificationSessionId: string, startLoginRequest: string) {
    if (account.password_record === null) {
      throw new ApiError(409, 'CONFLICT', 'this number has no registration-lock password');
    }
    const now = this.clock.now();
    const recent = await this.db.db
      .selectFrom('password_failures')
      .select(['at'])
      .where('account_id', '=', account.id)
      .where('at', '>', now - DAY)
      .orderBy('at')
      .execute();
    if (recent.length >= this.config.maxFailuresPerDay) {
      const oldest = recent[0]?.at ?? now;
      throw tooManyRequests(oldest + DAY - now, 'too many password attempts today; try again later');
    }
    let started: { loginResponse: string; serverLoginState: string };
    try {
      started = opaque.server.startLogin({
        serverSetup: this.opaqueSetup,
        userIdentifier: account.id,
        registrationRecord: account.password_record,
        startLoginRequest,
      });
    } catch {
      throw new ApiError(400, 'INVALID_ARGUMENT', 'startLoginRequest is not a valid OPAQUE message');
    }
    const loginId = randomId('pl');
    await this.db.transaction(async (tx) => {
      await tx
        .insertInto('password_logins')
        .values({
          id: loginId,
          account_id: account.id,
          verification_session_id: verificationSessionId,
          server_state: started.serverLoginState,
          expires_at: now + LOGIN_TTL,
        })
        .execute();
      await tx.insertInto('password_failures').values({ account_id: account.id, at: now }).execute();
    });
    await this.notifier.notify(account.id, {
      type: 'registration_lock.failed_attempt',
      at: now,
      attemptsToday: recent.length + 1,
    });
    return { loginId, loginResponse: started.loginResponse };
  }

  /** Checks the last login message inside the registration's transaction; throws on a wrong password. */
  async finishLogin(
    tx: Kysely<Schema>,
    account: AccountRow,
    verificationSessionId: string,
    proof: { loginId: string; finishLoginRequest: string },
  ): Promise<void> {
    const login = await tx.selectFrom('password_logins').selectAll().where('id', '=', proof.loginId).executeTakeFirst();
    if (!login || login.account_id !== account.id || login.verification_session_id !== verificationSessionId) {
      throw new ApiError(422, 'WRONG_PASSWORD', 'the password login is unknown; start it again');
    }
    await tx.deleteFrom('password_logins').where('id', '=', login.id).execute();
    if (login.expires_at < this.clock.now()) {
      throw new ApiError(422, 'WRONG_PASSWORD', 'the password login took too long; start it again');
    }
    try {
      opaque.server.finishLogin({ finishLoginRequest: proof.finishLoginRequest, serverLoginState: login.server_state });
    } catch {
      throw new ApiError(422, 'WRONG_PASSWORD', 'wrong password');
    }
    // Proven: this attempt was not a failure after all.
    const failure = await tx
      .selectFrom('password_failures')
      .select('id')
      .where('account_id', '=', account.id)
      .orderBy('at', 'desc')
      .executeTakeFirst();
    if (failure) await tx.deleteFrom('password_failures').where('id', '=', failure.id).execute();
  }

  registrationResponse(accountId: string, registrationRequest: string): string {
    try {
      return opaque.server.createRegistrationResponse({
        serverSetup: this.opaqueSetup,
        userIdentifier: accountId,
        registrationRequest,
      }).registrationResponse;
    } catch {
      throw new ApiError(400, 'INVALID_ARGUMENT', 'registrationRequest is not a valid OPAQUE message');
    }
  }

  async sweep(): Promise<void> {
    const now = this.clock.now();
    await this.db.db.deleteFrom('password_logins').where('expires_at', '<', now).execute();
    await this.db.db
      .deleteFrom('password_failures')
      .where('at', '<', now - DAY)
      .execute();
  }
}
