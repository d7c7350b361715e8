import type { SignetApi } from './api/endpoints';
import type { ContactCard } from './content';
import type { CredentialDirectory } from './credential-directory';
import { UserNotFoundError } from './errors';
import { fromBase64url, toBase64url } from './mls/bytes';
import { computeSafetyNumber, formatSafetyNumber } from './mls/safety-number';
import type { SessionService } from './session';
import { getJson, type KeyStore, putJson } from './store/key-store';

const PREFIX = 'contacts/';

/** What this device remembers of another account: its number when known, and the device keys last seen. */
export interface ContactRecord {
  accountId: string;
  phoneNumber?: string;
  /** The account's device signature keys (base64url, sorted) as last seen, checked against the server's credentials. */
  keys: string[];
  /** The user compared the safety number out of band (reset when the keys change). */
  verified: boolean;
  firstSeenAt: number;
  keysChangedAt?: number;
}

/** A contact's keys differ from the ones stored: the safety number changed; tell the user. */
export interface KeyChange {
  accountId: string;
  phoneNumber?: string;
  previousKeys: string[];
  currentKeys: string[];
  /** The safety number was verified before the change; it no longer is. */
  wasVerified: boolean;
}

export interface SafetyNumberView {
  accountId: string;
  /** 60 digits, the same on both sides. */
  digits: string;
  /** Twelve groups of five. */
  formatted: string;
  qrPayload: string;
  verified: boolean;
}

/**
 * Contacts and their key fingerprints: safety numbers per contact, the keys seen for each account kept
 * in the key store (first sight is trusted), and a `keyChanged` warning whenever they differ later.
 */
export class ContactService {
  constructor(
    private readonly api: SignetApi,
    private readonly store: KeyStore,
    private readonly session: SessionService,
    private readonly directory: CredentialDirectory,
    private readonly onKeyChanged: (change: KeyChange) => void,
  ) {}

  /** Finds the identified account of a number (rate-limited by the server) and remembers the number. */
  async lookup(phoneNumber: string): Promise<ContactRecord> {
    const local = await this.findByPhone(phoneNumber);
    if (local) return local;
    const found = await this.api.lookup(phoneNumber);
    if (!found.exists || !found.accountId) throw new UserNotFoundError(found.phoneNumber);
    const existing = await this.get(found.accountId);
    const record: ContactRecord = existing
      ? { ...existing, phoneNumber: found.phoneNumber }
      : {
          accountId: found.accountId,
          phoneNumber: found.phoneNumber,
          keys: [],
          verified: false,
          firstSeenAt: Date.now(),
        };
    await this.save(record);
    return record;
  }

  /**
   * Takes the numbers another member says accounts have (`contacts` content), each only once the server's
   * lookup confirms that the number belongs to that account. Answers the numbers learnt; a claim that cannot
   * be checked now (rate limit, network) is left for the next one.
   */
  async learnNumbers(cards: ContactCard[]): Promise<ContactCard[]> {
    const self = this.session.current?.accountId;
    const learnt: ContactCard[] = [];
    for (const card of cards) {
      if (card.accountId === self) continue;
      const existing = await this.get(card.accountId);
      if (existing?.phoneNumber === card.phoneNumber) continue;
      const found = await this.api.lookup(card.phoneNumber).catch(() => undefined);
      if (!found?.exists || found.accountId !== card.accountId) continue;
      await this.save({
        ...(existing ?? { accountId: card.accountId, keys: [], verified: false, firstSeenAt: Date.now() }),
        phoneNumber: found.phoneNumber,
      });
      learnt.push({ accountId: card.accountId, phoneNumber: found.phoneNumber });
    }
    return learnt;
  }

  get(accountId: string): Promise<ContactRecord | undefined> {
    return getJson<ContactRecord>(this.store, PREFIX + accountId);
  }

  /** Every contact but ourselves. */
  async list(): Promise<ContactRecord[]> {
    const self = this.session.current?.accountId;
    const out: ContactRecord[] = [];
    for (const key of await this.store.list(PREFIX)) {
      const record = await getJson<ContactRecord>(this.store, key);
      if (record && record.accountId !== self) out.push(record);
    }
    return out;
  }

  async findByPhone(phoneNumber: string): Promise<ContactRecord | undefined> {
    const wanted = phoneNumber.replace(/[\s().-]/g, '');
    return (await this.list()).find((c) => c.phoneNumber === wanted);
  }

  /** A name to show: the number when known, else the account id. */
  async displayName(accountId: string): Promise<string> {
    if (accountId === this.session.current?.accountId) return 'me';
    return (await this.get(accountId))?.phoneNumber ?? accountId;
  }

  /**
   * Reads the account's current device keys from the server's credentials (each signature checked),
   * compares them with the stored ones and warns when they differ. First sight stores them silently.
   */
  async refresh(accountId: string): Promise<ContactRecord> {
    const current = [...new Set((await this.directory.fetchAccount(accountId)).map((b) => b.signatureKey))].sort();
    const existing = await this.get(accountId);
    const now = Date.now();
    if (!existing || existing.keys.length === 0) {
      const record: ContactRecord = {
        ...(existing ?? { accountId, verified: false, firstSeenAt: now }),
        keys: current,
      };
      await this.save(record);
      return record;
    }
    if (sameKeys(existing.keys, current) || current.length === 0) return existing;
    const record: ContactRecord = { ...existing, keys: current, verified: false, keysChangedAt: now };
    await this.save(record);
    if (accountId !== this.session.current?.accountId) {
      this.onKeyChanged({
        accountId,
        ...(existing.phoneNumber ? { phoneNumber: existing.phoneNumber } : {}),
        previousKeys: existing.keys,
        currentKeys: current,
        wasVerified: existing.verified,
      });
    }
    return record;
  }

  /** Looks at keys met in a group (a join, a commit): an unknown one makes the account's keys be read again. */
  async observe(members: { accountId: string; signaturePublicKey: Uint8Array }[]): Promise<void> {
    const self = this.session.current?.accountId;
    const accounts = new Set<string>();
    for (const m of members) {
      if (m.accountId === self) continue;
      const known = (await this.get(m.accountId))?.keys ?? [];
      if (!known.includes(toBase64url(m.signaturePublicKey))) accounts.add(m.accountId);
    }
    for (const accountId of accounts) await this.refresh(accountId);
  }

  /** The safety number with this contact, from both accounts' current keys (a change is warned about first). */
  async safetyNumber(accountId: string): Promise<SafetyNumberView> {
    const self = this.session.require().accountId;
    const [mine, theirs] = [await this.refresh(self), await this.refresh(accountId)];
    const sn = await computeSafetyNumber(
      { accountId: self, signatureKeys: mine.keys.map(fromBase64url) },
      { accountId, signatureKeys: theirs.keys.map(fromBase64url) },
    );
    return {
      accountId,
      digits: sn.digits,
      formatted: formatSafetyNumber(sn.digits),
      qrPayload: sn.qrPayload,
      verified: theirs.verified,
    };
  }

  /** The user compared the safety number and it matched. */
  async markVerified(accountId: string, verified = true): Promise<void> {
    const record = await this.get(accountId);
    if (record) await this.save({ ...record, verified });
  }

  private save(record: ContactRecord): Promise<void> {
    return putJson(this.store, PREFIX + record.accountId, record);
  }
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
