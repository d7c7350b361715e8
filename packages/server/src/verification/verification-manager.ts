import { type Clock, type Logger, randomId } from '@signet/common';
import type { VerificationSession } from '@signet/protocol';
import type { SmsGateway } from '../adapters/sms/gateway';
import { SmsFinalError } from '../adapters/sms/gateway';
import type { ServerConfig } from '../config/config';
import type { ServerDatabase } from '../db';
import { ApiError, notFound, tooManyRequests } from '../errors';
import type { RateLimiters } from '../rate-limit/registry';
import { codeMatches, hashCode, newCode } from './codes';
import { normalisePhone, pumpingPrefix } from './phone';
import type { VerificationSessionRow } from './verification-store';
import * as store from './verification-store';

export interface VerificationDeps {
  db: ServerDatabase;
  clock: Clock;
  config: ServerConfig;
  sms: SmsGateway;
  limiters: RateLimiters;
  codeKey: Buffer;
  log: Logger;
}

/** Proof of possession of a number: sessions that send a code by SMS and check it. */
export class VerificationManager {
  constructor(private readonly deps: VerificationDeps) {}

  private get settings() {
    return this.deps.config.verification;
  }

  async start(phoneInput: string, address: string): Promise<VerificationSession> {
    const { e164 } = normalisePhone(phoneInput, this.deps.config.phone);
    this.takeSmsTokens(e164, address);
    const now = this.deps.clock.now();
    const id = randomId('vs');
    const code = newCode();
    const row: VerificationSessionRow = {
      id,
      phone_number: e164,
      code_hash: hashCode(this.deps.codeKey, id, code),
      code_expires_at: now + this.settings.codeTtlMs,
      sends: 1,
      last_sent_at: now,
      attempts: 0,
      verified_at: null,
      consumed_at: null,
      created_at: now,
    };
    await store.insertSession(this.deps.db.db, row);
    try {
      await this.sendCode(e164, code);
    } catch (error) {
      await store.deleteSession(this.deps.db.db, id);
      throw error;
    }
    return this.view(row);
  }

  async get(id: string): Promise<VerificationSession> {
    return this.view(await this.load(id));
  }

  async resend(id: string, address: string): Promise<VerificationSession> {
    const row = await this.load(id);
    if (row.verified_at !== null) return this.view(row);
    const nextAt = this.nextResendAt(row);
    if (nextAt === null) {
      throw new ApiError(429, 'TOO_MANY_ATTEMPTS', 'no more codes can be sent in this session; start a new one');
    }
    const now = this.deps.clock.now();
    if (now < nextAt) {
      throw tooManyRequests(nextAt - now, 'wait before asking for another code', 'RESEND_TOO_EARLY');
    }
    this.takeSmsTokens(row.phone_number, address);
    const code = newCode();
    const expiresAt = now + this.settings.codeTtlMs;
    const hash = hashCode(this.deps.codeKey, id, code);
    if (!(await store.recordResend(this.deps.db.db, id, row.sends, hash, now, expiresAt))) {
      throw tooManyRequests(1000, 'another code was just sent; wait before asking again', 'RESEND_TOO_EARLY');
    }
    await this.sendCode(row.phone_number, code);
    return this.view({ ...row, code_hash: hash, code_expires_at: expiresAt, last_sent_at: now, sends: row.sends + 1 });
  }

  async verify(id: string, code: string, address: string): Promise<VerificationSession> {
    const row = await this.load(id);
    if (row.verified_at !== null) return this.view(row);
    this.deps.limiters.get('code-check-number').consume(row.phone_number);
    this.deps.limiters.get('code-check-address').consume(address);
    const now = this.deps.clock.now();
    if (now > row.code_expires_at) {
      throw new ApiError(410, 'CODE_EXPIRED', 'the code has expired; ask for a new one');
    }
    if (!(await store.reserveAttempt(this.deps.db.db, id, this.settings.maxAttempts))) {
      throw new ApiError(403, 'TOO_MANY_ATTEMPTS', 'too many wrong codes; start a new verification session');
    }
    const attempts = row.attempts + 1;
    if (!codeMatches(this.deps.codeKey, id, code, row.code_hash)) {
      const attemptsLeft = Math.max(0, this.settings.maxAttempts - attempts);
      throw new ApiError(422, 'WRONG_CODE', `wrong code; ${attemptsLeft} attempts left`, { attemptsLeft });
    }
    await store.markVerified(this.deps.db.db, id, now);
    return this.view({ ...row, attempts, verified_at: now });
  }

  /** The verified, unused session a registration stands on. */
  async requireVerified(id: string): Promise<VerificationSessionRow> {
    const row = await this.load(id);
    if (row.verified_at === null) {
      throw new ApiError(403, 'NOT_VERIFIED', 'the verification session has no correct code yet');
    }
    return row;
  }

  /** Marks the session used, inside the registration's transaction. */
  async consume(db: ServerDatabase['db'], id: string): Promise<void> {
    if (!(await store.consumeSession(db, id, this.deps.clock.now()))) {
      throw new ApiError(410, 'SESSION_EXPIRED', 'this verification session was already used; start a new one');
    }
  }

  /** Deletes sessions past their lifetime. */
  async sweep(): Promise<number> {
    return store.deleteSessionsBefore(this.deps.db.db, this.deps.clock.now() - this.settings.sessionTtlMs);
  }

  private async load(id: string): Promise<VerificationSessionRow> {
    const row = await store.getSession(this.deps.db.db, id);
    if (!row) throw notFound('no such verification session');
    if (row.consumed_at !== null || this.deps.clock.now() - row.created_at > this.settings.sessionTtlMs) {
      throw new ApiError(410, 'SESSION_EXPIRED', 'this verification session has ended; start a new one');
    }
    return row;
  }

  private takeSmsTokens(e164: string, address: string): void {
    this.deps.limiters.get('sms-number').consume(e164);
    this.deps.limiters.get('sms-address').consume(address);
    this.deps.limiters.get('sms-prefix').consume(pumpingPrefix(e164));
  }

  private async sendCode(to: string, code: string): Promise<void> {
    try {
      await this.deps.sms.send({ to, text: `Your Signet code: ${code}. Do not share it with anyone.` });
    } catch (error) {
      this.deps.log.warn({ err: error, provider: this.deps.sms.name }, 'sms send failed');
      if (error instanceof SmsFinalError) {
        throw new ApiError(400, 'INVALID_PHONE_NUMBER', 'the SMS provider cannot deliver to this number');
      }
      throw new ApiError(
        503,
        'SMS_UNAVAILABLE',
        'the code could not be sent just now; try again shortly',
        undefined,
        30,
      );
    }
  }

  private nextResendAt(row: VerificationSessionRow): number | null {
    if (row.sends >= this.settings.maxSends) return null;
    const waits = this.settings.resendWaitsMs;
    const wait = waits[Math.min(row.sends - 1, waits.length - 1)] ?? 0;
    return row.last_sent_at + wait;
  }

  private view(row: VerificationSessionRow): VerificationSession {
    const nextResendAt = row.verified_at === null ? this.nextResendAt(row) : null;
    return {
      id: row.id,
      phoneNumber: row.phone_number,
      verified: row.verified_at !== null,
      codeExpiresAt: row.code_expires_at,
      nextResendAt,
      resendsLeft: row.verified_at === null ? Math.max(0, this.settings.maxSends - row.sends) : 0,
      attemptsLeft: Math.max(0, this.settings.maxAttempts - row.attempts),
    };
  }
}
