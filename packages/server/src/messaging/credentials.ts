import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { type Clock, randomId } from '@signet/common';
import type { AccountCredentials, DeviceCredential, ExternalSenderKey, ServerKeys } from '@signet/protocol';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import type { ServerDatabase } from '../db';
import type { IdentificationGate } from '../identification/gate';

const KEY_PREFIX = 'credential-key:';
/** The MLS external-sender key is never rotated: every group pins it for its whole life. */
const EXTERNAL_SENDER_KEY = 'mls-external-sender';
const EXTERNAL_SENDER_ID = 'signet';

/** The server as MLS external sender, with the raw Ed25519 key pair it signs with. */
export interface ExternalSigner {
  serverId: string;
  signaturePublicKey: Uint8Array;
  signaturePrivateKey: Uint8Array;
}

interface StoredKey {
  keyId: string;
  privatePkcs8: string;
  publicRaw: string;
  createdAt: number;
  retiredAt: number | null;
}

/** The bytes a credential signature covers; clients build the same string to check it. */
export function credentialMessage(accountId: string, deviceId: string, signatureKey: string): Buffer {
  return Buffer.from(`signet-credential-v1|${accountId}|${deviceId}|${signatureKey}`, 'utf8');
}

/**
 * MLS's Authentication Service: binds a device's MLS signature key to its identified account with the
 * server's Ed25519 key. Keys rotate: a new key signs new credentials, retired ones still verify old ones.
 */
export class CredentialAuthority {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly gate: IdentificationGate,
  ) {}

  async issue(auth: AuthenticatedDevice, signatureKey: string): Promise<DeviceCredential> {
    // Identified is enough: an account whose sending is suspended still receives, on every device.
    await this.gate.assertIdentified(auth.accountId);
    const key = await this.activeKey();
    const signature = sign(null, credentialMessage(auth.accountId, auth.deviceId, signatureKey), {
      key: createPrivateKey({ key: Buffer.from(key.privatePkcs8, 'base64'), format: 'der', type: 'pkcs8' }),
    }).toString('base64url');
    const credential: DeviceCredential = {
      accountId: auth.accountId,
      deviceId: auth.deviceId,
      signatureKey,
      keyId: key.keyId,
      signature,
      issuedAt: this.clock.now(),
    };
    const row = {
      device_id: auth.deviceId,
      account_id: auth.accountId,
      signature_key: signatureKey,
      key_id: key.keyId,
      signature,
      issued_at: credential.issuedAt,
    };
    await this.db.db
      .insertInto('device_credentials')
      .values(row)
      .onConflict((oc) => oc.column('device_id').doUpdateSet(row))
      .execute();
    return credential;
  }

  async publicKeys(): Promise<ServerKeys> {
    const keys = await this.keys();
    if (keys.length === 0) keys.push(await this.activeKey());
    return {
      keys: keys.map((k) => ({
        keyId: k.keyId,
        algorithm: 'Ed25519' as const,
        publicKey: k.publicRaw,
        createdAt: k.createdAt,
        retiredAt: k.retiredAt,
      })),
      externalSender: await this.externalSender(),
    };
  }

  /** The credentials of an account's devices: public statements, needed to check a group's members. */
  async listFor(accountId: string): Promise<AccountCredentials> {
    const rows = await this.db.db
      .selectFrom('device_credentials')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('device_id')
      .execute();
    return {
      accountId,
      devices: rows.map((r) => ({
        accountId: r.account_id,
        deviceId: r.device_id,
        signatureKey: r.signature_key,
        keyId: r.key_id,
        signature: r.signature,
        issuedAt: r.issued_at,
      })),
    };
  }

  /** The MLS external-sender public key, made on first use (nodes racing to make it keep the first). */
  async externalSender(): Promise<ExternalSenderKey> {
    const { publicRaw } = await this.externalSenderKey();
    return { serverId: EXTERNAL_SENDER_ID, publicKey: publicRaw };
  }

  /** The same key with its private half, to sign proposals as every group's external sender. */
  async externalSenderSigner(): Promise<ExternalSigner> {
    const { publicRaw, privatePkcs8 } = await this.externalSenderKey();
    const pkcs8 = Buffer.from(privatePkcs8, 'base64');
    return {
      serverId: EXTERNAL_SENDER_ID,
      signaturePublicKey: new Uint8Array(Buffer.from(publicRaw, 'base64url')),
      // An Ed25519 PKCS#8 key ends with its 32-byte seed, which is what MLS libraries sign with.
      signaturePrivateKey: new Uint8Array(pkcs8.subarray(pkcs8.length - 32)),
    };
  }

  private async externalSenderKey(): Promise<{ privatePkcs8: string; publicRaw: string }> {
    const read = () =>
      this.db.db.selectFrom('server_keys').select('value').where('name', '=', EXTERNAL_SENDER_KEY).executeTakeFirst();
    let row = await read();
    if (!row) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const spki = publicKey.export({ format: 'der', type: 'spki' });
      const value = JSON.stringify({
        privatePkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
        publicRaw: spki.subarray(spki.length - 32).toString('base64url'),
      });
      await this.db.db
        .insertInto('server_keys')
        .values({ name: EXTERNAL_SENDER_KEY, value, created_at: this.clock.now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      row = await read();
    }
    return JSON.parse(row!.value) as { privatePkcs8: string; publicRaw: string };
  }

  /** Makes a new signing key and retires the current one (it keeps verifying what it signed). */
  async rotate(): Promise<string> {
    const now = this.clock.now();
    for (const k of await this.keys()) {
      if (k.retiredAt === null) await this.save({ ...k, retiredAt: now });
    }
    return (await this.create()).keyId;
  }

  private async activeKey(): Promise<StoredKey> {
    const active = (await this.keys()).find((k) => k.retiredAt === null);
    return active ?? this.create();
  }

  private async create(): Promise<StoredKey> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const key: StoredKey = {
      keyId: randomId('sk', 8),
      privatePkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      // The raw 32-byte key is the last 32 bytes of its SPKI encoding.
      publicRaw: spki.subarray(spki.length - 32).toString('base64url'),
      createdAt: this.clock.now(),
      retiredAt: null,
    };
    await this.save(key);
    return key;
  }

  private async save(key: StoredKey): Promise<void> {
    const row = { name: KEY_PREFIX + key.keyId, value: JSON.stringify(key), created_at: key.createdAt };
    await this.db.db
      .insertInto('server_keys')
      .values(row)
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: row.value }))
      .execute();
  }

  private async keys(): Promise<StoredKey[]> {
    const rows = await this.db.db
      .selectFrom('server_keys')
      .select('value')
      .where('name', 'like', `${KEY_PREFIX}%`)
      .execute();
    return rows.map((r) => JSON.parse(r.value) as StoredKey).sort((a, b) => a.createdAt - b.createdAt);
  }
}

/** For tests and clients in Node: checks a credential against a published raw Ed25519 key. */
export function publicKeyFromRaw(raw: string) {
  const prefix = Buffer.from('302a300506032b6570032100', 'hex');
  return createPublicKey({ key: Buffer.concat([prefix, Buffer.from(raw, 'base64url')]), format: 'der', type: 'spki' });
}
