import type { DeviceCredential, KeyPackageStock } from '@signet/protocol';
import type { SignetApi } from './api/endpoints';
import type { CredentialDirectory } from './credential-directory';
import { SignetClientError } from './errors';
import { loadCipherSuite } from './mls/cipher-suite';
import { createMlsContext, type MlsContext } from './mls/context';
import {
  type DeviceKeys,
  decodeDeviceKeys,
  encodeDeviceKeys,
  generateDeviceKeys,
  signatureKeyText,
} from './mls/device-keys';
import {
  decodeKeyPackageBundle,
  encodeKeyPackageBundle,
  generateKeyPackages,
  type KeyPackageBundle,
  keyPackageUpload,
} from './mls/key-packages';
import type { SessionService } from './session';
import { getJson, type KeyStore, putJson } from './store/key-store';

const KEYS_KEY = 'device/keys';
const CREDENTIAL_KEY = 'device/credential';
const KEY_PACKAGE_PREFIX = 'device/key-packages/';

export interface DeviceOptions {
  /** How many one-time KeyPackages to upload when the stock is low (the server keeps at most 200). */
  keyPackageBatch?: number;
}

/**
 * This device's MLS identity: its signature key pair, the server's credential for it (checked against
 * the published server keys), and its stock of KeyPackages on the server, topped up below the low-water mark.
 */
export class DeviceService {
  #keys: DeviceKeys | undefined;
  #context: Promise<MlsContext> | undefined;
  #cipherSuite: ReturnType<typeof loadCipherSuite> | undefined;
  #topUp: Promise<KeyPackageStock> | undefined;

  constructor(
    private readonly api: SignetApi,
    private readonly store: KeyStore,
    private readonly session: SessionService,
    private readonly directory: CredentialDirectory,
    private readonly options: DeviceOptions = {},
  ) {}

  /** The MLS context of this device (cipher suite, validator, pinned external sender), built once. */
  context(): Promise<MlsContext> {
    this.#context ??= (async () =>
      createMlsContext({
        cipherSuite: await this.cipherSuite(),
        validator: await this.directory.validator(),
        server: await this.directory.externalSender(),
      }))().catch((error) => {
      this.#context = undefined;
      throw error;
    });
    return this.#context;
  }

  cipherSuite(): ReturnType<typeof loadCipherSuite> {
    this.#cipherSuite ??= loadCipherSuite();
    return this.#cipherSuite;
  }

  /** The device's signature keys, made once per registered device and kept in the key store. */
  async keys(): Promise<DeviceKeys> {
    const { accountId, deviceId } = this.session.require();
    if (this.#keys?.identity.deviceId === deviceId) return this.#keys;
    const stored = await this.store.get(KEYS_KEY);
    const decoded = stored && decodeDeviceKeys(stored);
    if (decoded && decoded.identity.accountId === accountId && decoded.identity.deviceId === deviceId) {
      this.#keys = decoded;
      return decoded;
    }
    const keys = await generateDeviceKeys(await this.cipherSuite(), { accountId, deviceId });
    await this.store.put(KEYS_KEY, encodeDeviceKeys(keys));
    this.#keys = keys;
    return keys;
  }

  /**
   * Everything the device needs before it can message: keys, a credential the server signed for exactly
   * them, and KeyPackages on the server. Needs an identified account.
   */
  async ensureReady(): Promise<void> {
    this.session.assertIdentified();
    await this.credential();
    await this.topUpKeyPackages();
  }

  /** The server's credential for this device's key; requested when missing, and checked either way. */
  async credential(): Promise<DeviceCredential> {
    const keys = await this.keys();
    const signatureKey = signatureKeyText(keys);
    const stored = await getJson<DeviceCredential>(this.store, CREDENTIAL_KEY);
    if (stored && stored.signatureKey === signatureKey && stored.deviceId === keys.identity.deviceId) return stored;
    const issued = await this.api.requestCredential(signatureKey);
    const matches =
      issued.accountId === keys.identity.accountId &&
      issued.deviceId === keys.identity.deviceId &&
      issued.signatureKey === signatureKey;
    if (!matches || !(await this.directory.verify(issued))) {
      throw new SignetClientError('the server returned a credential that does not bind this device key');
    }
    await putJson(this.store, CREDENTIAL_KEY, issued);
    await this.directory.remember([issued]);
    return issued;
  }

  /** Uploads KeyPackages when the server's stock is below its low-water mark; concurrent calls share one run. */
  topUpKeyPackages(): Promise<KeyPackageStock> {
    this.#topUp ??= this.#runTopUp().finally(() => {
      this.#topUp = undefined;
    });
    return this.#topUp;
  }

  async #runTopUp(): Promise<KeyPackageStock> {
    const stock = await this.api.keyPackageStock();
    if (stock.count >= stock.lowWater && stock.hasLastResort) return stock;
    const keys = await this.keys();
    const count = Math.max(0, Math.max(this.options.keyPackageBatch ?? 20, stock.lowWater) - stock.count);
    const generated = await generateKeyPackages(await this.cipherSuite(), keys, { count });
    const upload = keyPackageUpload(generated);
    const bundles = stock.hasLastResort ? generated.oneTime : [...generated.oneTime, generated.lastResort];
    // The private parts are stored before the public ones are published: a Welcome never finds them missing.
    for (const b of bundles) await this.store.put(KEY_PACKAGE_PREFIX + b.ref, encodeKeyPackageBundle(b));
    return this.api.uploadKeyPackages({
      keyPackages: upload.keyPackages,
      ...(stock.hasLastResort ? {} : { lastResort: upload.lastResort }),
    });
  }

  /** Every stored KeyPackage with its private keys: the candidates a Welcome may have been made for. */
  async keyPackages(): Promise<KeyPackageBundle[]> {
    const out: KeyPackageBundle[] = [];
    for (const key of await this.store.list(KEY_PACKAGE_PREFIX)) {
      const bytes = await this.store.get(key);
      if (bytes) out.push(decodeKeyPackageBundle(bytes));
    }
    return out;
  }

  /** After a Welcome used it: a one-time KeyPackage's private keys are deleted; the last-resort one stays. */
  async consumeKeyPackage(bundle: KeyPackageBundle): Promise<void> {
    if (!bundle.lastResort) await this.store.delete(KEY_PACKAGE_PREFIX + bundle.ref);
  }
}
