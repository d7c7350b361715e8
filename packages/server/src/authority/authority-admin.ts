import { generateKeyPairSync } from 'node:crypto';
import { type Clock, randomId } from '@signet/common';
import type { AuthorityRole } from '@signet/protocol';
import type { AuditLog } from '../audit/audit-log';
import { AuditKind } from '../audit/kinds';
import type { ServerDatabase } from '../db';
import * as store from './authority-store';
import { storedRoles } from './roles';

/** An authority as administrators see it: never its key beyond the public half. */
export interface AuthorityInfo {
  id: string;
  name: string;
  roles: AuthorityRole[];
  publicKey: string;
  createdAt: number;
  createdBy: string;
  disabledAt: number | null;
  disabledBy: string | null;
}

/** What creation hands out once. The server keeps only the public key. */
export interface CreatedAuthority {
  authority: AuthorityInfo;
  /** The Ed25519 private key, PKCS#8 DER in base64url. */
  privateKey: string;
}

const UNPRINTABLE = /[\p{Cc}\p{Cs}]/u;

export class AuthorityNotFoundError extends Error {
  override name = 'AuthorityNotFoundError';
}

/** Administrator actions on authorities, each audited with the administrator's name. */
export class AuthorityAdmin {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(input: { name: string; roles: AuthorityRole[]; by: string }): Promise<CreatedAuthority> {
    const name = input.name.trim();
    if (name === '' || name.length > 200 || UNPRINTABLE.test(name)) {
      throw new Error('the name must be 1 to 200 printable characters');
    }
    if (input.roles.length === 0) throw new Error('an authority needs at least one role');
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' });
    const row: store.AuthorityRow = {
      id: randomId('auth', 12),
      name,
      roles: [...input.roles].sort().join(','),
      public_key: String(jwk.x),
      created_at: this.clock.now(),
      created_by: input.by,
      disabled_at: null,
      disabled_by: null,
    };
    await this.db.transaction(async (tx) => {
      await store.insertAuthority(tx, row);
      await this.audit.append(tx, {
        actor: { type: 'administrator', id: input.by },
        kind: AuditKind.authorityCreated,
        subject: row.id,
        payload: { authorityId: row.id, name: row.name, roles: storedRoles(row.roles), publicKey: row.public_key },
      });
    });
    return {
      authority: toInfo(row),
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
    };
  }

  async list(): Promise<AuthorityInfo[]> {
    return (await store.listAuthorities(this.db.db)).map(toInfo);
  }

  /** Disables an authority for good: its signed requests are refused from now on. Idempotent. */
  async disable(id: string, by: string): Promise<AuthorityInfo> {
    return this.db.transaction(async (tx) => {
      const disabled = await store.disableAuthority(tx, id, this.clock.now(), by);
      const row = await store.getAuthority(tx, id);
      if (!row) throw new AuthorityNotFoundError(`no authority ${id}`);
      if (disabled) {
        await this.audit.append(tx, {
          actor: { type: 'administrator', id: by },
          kind: AuditKind.authorityDisabled,
          subject: id,
          payload: { authorityId: id, name: row.name },
        });
      }
      return toInfo(row);
    });
  }
}

export function toInfo(row: store.AuthorityRow): AuthorityInfo {
  return {
    id: row.id,
    name: row.name,
    roles: storedRoles(row.roles),
    publicKey: row.public_key,
    createdAt: row.created_at,
    createdBy: row.created_by,
    disabledAt: row.disabled_at,
    disabledBy: row.disabled_by,
  };
}
