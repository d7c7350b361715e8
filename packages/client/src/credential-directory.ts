import type { DeviceCredential, ServerKeys } from '@signet/protocol';
import type { SignetApi } from './api/endpoints';
import { ServerKeyChangedError } from './errors';
import { type CredentialBinding, type ServerSigningKey, verifyCredentialBinding } from './mls/binding';
import { equalBytes, fromBase64url } from './mls/bytes';
import { type BindingLookup, type CredentialValidator, createServerBindingValidator } from './mls/credential-validator';
import type { ServerExternalSender } from './mls/external-sender';
import { getJson, type KeyStore, putJson } from './store/key-store';

const PINNED_KEY = 'server/external-sender';
const BINDINGS_PREFIX = 'bindings/';

interface PinnedSender {
  serverId: string;
  publicKey: string;
}

/**
 * Which MLS signature keys the server vouches for: its published credential-signing keys, the
 * credentials (bindings) of accounts' devices, checked before they are trusted and kept in the key store,
 * and the server's MLS external-sender key, pinned on first contact.
 */
export class CredentialDirectory {
  #serverKeys: ServerKeys | undefined;
  readonly #bindings = new Map<string, CredentialBinding[]>();

  constructor(
    private readonly api: SignetApi,
    private readonly store: KeyStore,
  ) {}

  /** The server's credential-signing keys, fetched once (again when a binding names an unknown key). */
  async serverKeys(refresh = false): Promise<ServerSigningKey[]> {
    if (refresh || !this.#serverKeys) this.#serverKeys = await this.api.serverKeys();
    return this.#serverKeys.keys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey }));
  }

  /**
   * The server as every group's external sender. Pinned in the key store on first use; a different key
   * later means another server or a compromised one, and is refused.
   */
  async externalSender(): Promise<ServerExternalSender> {
    let pinned = await getJson<PinnedSender>(this.store, PINNED_KEY);
    if (!pinned) {
      if (!this.#serverKeys?.externalSender) await this.serverKeys(true);
      const published = this.#serverKeys?.externalSender;
      if (!published) throw new ServerKeyChangedError('the server publishes no MLS external-sender key');
      pinned = { serverId: published.serverId, publicKey: published.publicKey };
      await putJson(this.store, PINNED_KEY, pinned);
    } else if (this.#serverKeys?.externalSender) {
      const published = this.#serverKeys.externalSender;
      if (published.publicKey !== pinned.publicKey || published.serverId !== pinned.serverId) {
        throw new ServerKeyChangedError("the server's MLS external-sender key differs from the pinned one");
      }
    }
    return { serverId: pinned.serverId, signaturePublicKey: fromBase64url(pinned.publicKey) };
  }

  /** Checks a credential's signature (refreshing the server keys once if it names an unknown key). */
  async verify(binding: CredentialBinding): Promise<boolean> {
    const keys = await this.serverKeys();
    if (!keys.some((k) => k.keyId === binding.keyId))
      return verifyCredentialBinding(binding, await this.serverKeys(true));
    return verifyCredentialBinding(binding, keys);
  }

  /** Keeps credentials that came with claimed KeyPackages, once they verify. */
  async remember(credentials: DeviceCredential[]): Promise<void> {
    const byAccount = new Map<string, CredentialBinding[]>();
    for (const c of credentials) {
      if (!(await this.verify(c))) continue;
      byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), toBinding(c)]);
    }
    for (const [accountId, fresh] of byAccount) {
      const known = await this.known(accountId);
      const merged = [...known.filter((k) => !fresh.some((f) => sameDevice(f, k))), ...fresh];
      await this.keep(accountId, merged);
    }
  }

  /**
   * The account's device credentials as the server publishes them now, each checked; kept in the key
   * store as the latest view. A credential that does not verify is dropped, never trusted.
   */
  async fetchAccount(accountId: string): Promise<CredentialBinding[]> {
    const { devices } = await this.api.accountCredentials(accountId);
    const verified: CredentialBinding[] = [];
    for (const d of devices) {
      if (d.accountId === accountId && (await this.verify(d))) verified.push(toBinding(d));
    }
    // Bindings seen before stay usable for old leaves (a revoked device's leaf until it is removed).
    const known = await this.known(accountId);
    await this.keep(accountId, [...known.filter((k) => !verified.some((v) => sameBinding(v, k))), ...verified]);
    return verified;
  }

  /** The lookup the MLS validator asks: known bindings first, then the server. */
  readonly lookup: BindingLookup = async (device, signatureKey) => {
    const match = (list: CredentialBinding[]) =>
      list.find((b) => b.deviceId === device.deviceId && b.signatureKey === signatureKey);
    const known = match(await this.known(device.accountId));
    if (known) return known;
    await this.fetchAccount(device.accountId).catch(() => undefined);
    return match(await this.known(device.accountId));
  };

  /** The validator for the device's MLS context. */
  async validator(): Promise<CredentialValidator> {
    return createServerBindingValidator({
      serverKeys: () => this.serverKeys(),
      lookupBinding: this.lookup,
      externalSenders: [await this.externalSender()],
    });
  }

  /** True when the raw key is one the server bound to this account (from what is known). */
  async isKnownKey(accountId: string, signaturePublicKey: Uint8Array): Promise<boolean> {
    return (await this.known(accountId)).some((b) => equalBytes(fromBase64url(b.signatureKey), signaturePublicKey));
  }

  private async known(accountId: string): Promise<CredentialBinding[]> {
    let list = this.#bindings.get(accountId);
    if (!list) {
      list = (await getJson<CredentialBinding[]>(this.store, BINDINGS_PREFIX + accountId)) ?? [];
      this.#bindings.set(accountId, list);
    }
    return list;
  }

  private async keep(accountId: string, list: CredentialBinding[]): Promise<void> {
    this.#bindings.set(accountId, list);
    await putJson(this.store, BINDINGS_PREFIX + accountId, list);
  }
}

function toBinding(c: DeviceCredential): CredentialBinding {
  return {
    accountId: c.accountId,
    deviceId: c.deviceId,
    signatureKey: c.signatureKey,
    keyId: c.keyId,
    signature: c.signature,
  };
}

function sameDevice(a: CredentialBinding, b: CredentialBinding): boolean {
  return a.deviceId === b.deviceId && a.signatureKey === b.signatureKey;
}

function sameBinding(a: CredentialBinding, b: CredentialBinding): boolean {
  return sameDevice(a, b) && a.keyId === b.keyId;
}
