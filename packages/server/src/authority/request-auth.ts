import { createPublicKey, verify } from 'node:crypto';
import { type Clock, isUniqueViolation, type Logger, SECOND, sha256Hex } from '@signet/common';
import {
  AUTHORITY_HEADERS,
  AUTHORITY_NONCE_PATTERN,
  AUTHORITY_SKEW_S,
  type AuthorityRole,
  authorityStringToSign,
} from '@signet/protocol';
import type { AuditLog } from '../audit/audit-log';
import { AuditKind } from '../audit/kinds';
import type { ServerDatabase } from '../db';
import { ApiError } from '../errors';
import * as store from './authority-store';
import { storedRoles } from './roles';

/** The authority a verified request comes from. */
export interface AuthenticatedAuthority {
  authorityId: string;
  name: string;
  roles: AuthorityRole[];
}

/** What signature verification reads of a request. */
export interface SignedRequest {
  method: string;
  /** The request target as received: path and query. */
  target: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Uint8Array;
}

const AUTHORITY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
/** 64 bytes in unpadded base64url. */
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

const refuse = (reason: string, message: string, extra: Record<string, unknown> = {}) =>
  new ApiError(401, 'UNAUTHENTICATED', message, { reason, ...extra });
const forbid = (reason: string, message: string) => new ApiError(403, 'PERMISSION_DENIED', message, { reason });

/**
 * Verifies signed authority requests (README, "Authority API"): the four Signet-* headers, a timestamp within
 * five minutes of the server's clock, an Ed25519 signature by the authority's key over the method, target,
 * authority, timestamp, nonce and body digest, a nonce never seen before (remembered in the database, so that
 * every node knows it), an authority not disabled, and the role the route needs.
 */
export class AuthorityAuthenticator {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly log: Logger,
  ) {}

  async authenticate(req: SignedRequest, role: AuthorityRole | undefined): Promise<AuthenticatedAuthority> {
    const authorityId = header(req, AUTHORITY_HEADERS.authority);
    const timestamp = header(req, AUTHORITY_HEADERS.timestamp);
    const nonce = header(req, AUTHORITY_HEADERS.nonce);
    const signature = header(req, AUTHORITY_HEADERS.signature);
    const missing = (
      [
        ['Signet-Authority', authorityId],
        ['Signet-Timestamp', timestamp],
        ['Signet-Nonce', nonce],
        ['Signet-Signature', signature],
      ] as const
    )
      .filter(([, v]) => v === undefined)
      .map(([name]) => name);
    if (missing.length > 0 || !authorityId || !timestamp || !nonce || !signature) {
      throw refuse('unsigned', `authority requests must be signed; missing ${missing.join(', ')}`);
    }
    if (!AUTHORITY_ID.test(authorityId)) throw refuse('malformed', 'Signet-Authority is not an authority id');
    if (!TIMESTAMP.test(timestamp)) throw refuse('malformed', 'Signet-Timestamp must be Unix time in seconds');
    if (!AUTHORITY_NONCE_PATTERN.test(nonce)) {
      throw refuse('malformed', 'Signet-Nonce must be 16 to 64 characters of [A-Za-z0-9_-]');
    }
    if (!SIGNATURE.test(signature)) {
      throw refuse('malformed', 'Signet-Signature must be a 64-byte Ed25519 signature in base64url');
    }
    const now = this.clock.now();
    const sentAt = Number(timestamp) * SECOND;
    if (Math.abs(now - sentAt) > AUTHORITY_SKEW_S * SECOND) {
      throw refuse(
        'stale',
        `Signet-Timestamp is more than ${AUTHORITY_SKEW_S / 60} minutes from the server's clock; check the clock and sign again`,
        { serverTime: Math.floor(now / SECOND) },
      );
    }
    const authority = await store.getAuthority(this.db.db, authorityId);
    if (!authority) throw refuse('unknown-authority', 'no such authority');
    const signed = authorityStringToSign({
      method: req.method,
      target: req.target,
      authorityId,
      timestamp,
      nonce,
      bodySha256: sha256Hex(req.body),
    });
    if (!verifies(authority.public_key, signed, signature)) {
      throw refuse('bad-signature', "the signature does not verify with the authority's key");
    }
    try {
      // Past the skew window the timestamp refuses a replay by itself; until then the nonce does.
      await store.insertNonce(this.db.db, authorityId, nonce, sentAt + AUTHORITY_SKEW_S * SECOND + SECOND);
    } catch (error) {
      if (isUniqueViolation(error)) throw refuse('replayed', 'this nonce was used already: sign each request afresh');
      throw error;
    }
    const roles = storedRoles(authority.roles);
    if (authority.disabled_at !== null) {
      await this.refused(authorityId, req, 'disabled');
      throw forbid('disabled', 'this authority is disabled');
    }
    if (role && !roles.includes(role)) {
      await this.refused(authorityId, req, 'missing-role', role);
      throw forbid('missing-role', `this request needs the role ${role}, which this authority does not hold`);
    }
    return { authorityId, name: authority.name, roles };
  }

  /** Forgets nonces whose requests would be refused as stale anyway. */
  async sweep(): Promise<void> {
    await store.deleteExpiredNonces(this.db.db, this.clock.now());
  }

  private async refused(authorityId: string, req: SignedRequest, reason: string, role?: string): Promise<void> {
    this.log.warn({ authorityId, reason, role, target: req.target }, 'signed authority request refused');
    await this.audit.appendNow({
      actor: { type: 'authority', id: authorityId },
      kind: AuditKind.authorityRefused,
      subject: authorityId,
      payload: { reason, method: req.method, target: req.target.split('?')[0], ...(role ? { role } : {}) },
    });
  }
}

function header(req: SignedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function verifies(publicKey: string, text: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
