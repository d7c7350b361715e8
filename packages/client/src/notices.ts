import {
  type Notice,
  type NoticeAuthority,
  type NoticePage,
  type NoticeState,
  noticeStringToSign,
  OFFICIAL_NOTICES_ID,
  type ServerFrame,
} from '@signet/protocol';
import type { SignetApi } from './api/endpoints';
import { fromBase64url } from './mls/bytes';
import { getJson, type KeyStore, putJson } from './store/key-store';
import { Emitter } from './util/emitter';

/**
 * What this device found when it checked a notice's signature:
 * - `verified`: the authority's Ed25519 signature over exactly this text holds;
 * - `bad-signature`: it does not: the text, the audience or the time was altered after signing, or forged;
 * - `key-changed`: the server now names another key for this authority than the one this device first saw;
 * - `unverifiable`: this platform cannot check Ed25519 signatures, or the key is malformed.
 * Show only `verified` notices as official; show the others, if at all, as unverified.
 */
export type NoticeVerification = 'verified' | 'bad-signature' | 'key-changed' | 'unverifiable';

export interface VerifiedNotice extends Notice {
  verification: NoticeVerification;
  /** `verification === 'verified'`. */
  verified: boolean;
}

export interface VerifiedNoticePage extends Omit<NoticePage, 'notices'> {
  notices: VerifiedNotice[];
}

export interface NoticeEvents {
  /** A notice for this account: pushed live, or caught up on reconnecting. `muted`: show it without alerting. */
  notice: VerifiedNotice & { muted: boolean };
  /** Its authority withdrew a notice: take it out of the conversation. */
  withdrawn: { noticeId: number };
}

const encoder = new TextEncoder();
const PIN = (authorityId: string) => `notices/authority/${authorityId}`;
const SEEN = 'notices/seen';

/**
 * The read-only "Official notices" conversation: notices that authorities send to every identified user or to
 * the users of some number prefixes. Each is signed with its authority's own key; this service checks every
 * signature itself with WebCrypto (and remembers each authority's key the first time it sees it, so that a key
 * swapped later by the server is noticed). Notices can be muted, never blocked, and nobody can reply.
 */
export class NoticeService {
  /** The conversation's id, title and nature, for clients that list it among chats. */
  readonly conversationId = OFFICIAL_NOTICES_ID;
  readonly title = 'Official notices';
  readonly readOnly = true;

  readonly #events = new Emitter<NoticeEvents>();
  readonly #keys = new Map<string, Promise<CryptoKey | undefined>>();
  #muted = false;
  /** The newest notice emitted (persisted, so that catching up starts after it). */
  #seen: number | undefined;
  #noticeListeners = 0;
  #catchingUp: Promise<void> | undefined;

  constructor(
    private readonly api: SignetApi,
    private readonly store: KeyStore,
    /** Tells the server that notices up to this id reached the device (the delivered counts). */
    private readonly ack: (upTo: number) => void = () => {},
  ) {}

  /** One page of notices after the cursor, oldest first, each with its signature checked. */
  async list(options: { after?: number | string; limit?: number } = {}): Promise<VerifiedNoticePage> {
    const query = new URLSearchParams();
    if (options.after !== undefined) query.set('after', String(options.after));
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const qs = query.toString();
    const page = await this.api.http.json<NoticePage>('GET', `/v1/notices${qs ? `?${qs}` : ''}`);
    this.#muted = page.state.muted;
    return { ...page, notices: await Promise.all(page.notices.map((n) => this.checked(n))) };
  }

  /** Every notice of the account, oldest first. */
  async all(): Promise<VerifiedNotice[]> {
    const out: VerifiedNotice[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.list({ ...(after ? { after } : {}), limit: 200 });
      out.push(...page.notices);
      if (!page.nextCursor) return out;
      after = page.nextCursor;
    }
  }

  async state(): Promise<NoticeState> {
    const state = await this.api.http.json<NoticeState>('GET', '/v1/notices/state');
    this.#muted = state.muted;
    return state;
  }

  async unreadCount(): Promise<number> {
    return (await this.state()).unread;
  }

  /** Marks every notice up to `noticeId` read. */
  markRead(noticeId: number): Promise<void> {
    return this.api.http.json<void>('PUT', '/v1/notices/read', { upTo: noticeId });
  }

  /** Muted notices still arrive; clients show them without alerting. They cannot be blocked. */
  async mute(muted = true): Promise<void> {
    await this.api.http.json<void>('PUT', '/v1/notices/mute', { muted });
    this.#muted = muted;
  }

  unmute(): Promise<void> {
    return this.mute(false);
  }

  /** An authority that sends notices, as the server describes it. */
  authority(authorityId: string): Promise<NoticeAuthority> {
    return this.api.http.json<NoticeAuthority>('GET', `/v1/notices/authorities/${encodeURIComponent(authorityId)}`);
  }

  /** Checks a notice's signature against its authority's key (pinned on first sight). */
  async verify(notice: Notice): Promise<NoticeVerification> {
    const { authorityId, publicKey } = notice.authority;
    const pinned = await getJson<string>(this.store, PIN(authorityId));
    if (pinned !== undefined && pinned !== publicKey) return 'key-changed';
    const key = await this.importKey(publicKey);
    if (!key) return 'unverifiable';
    let signature: Uint8Array;
    try {
      signature = fromBase64url(notice.signature);
    } catch {
      return 'bad-signature';
    }
    const text = encoder.encode(noticeStringToSign(authorityId, notice.notice));
    let ok: boolean;
    try {
      ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, signature as BufferSource, text as BufferSource);
    } catch {
      return 'unverifiable';
    }
    if (!ok) return 'bad-signature';
    if (pinned === undefined) await putJson(this.store, PIN(authorityId), publicKey);
    return 'verified';
  }

  /** Live notices while the client is started, and those missed while it was not (once it reconnects). */
  on<K extends keyof NoticeEvents>(event: K, listener: (value: NoticeEvents[K]) => void): () => void {
    const off = this.#events.on(event, listener);
    if (event !== 'notice') return off;
    this.#noticeListeners++;
    let on = true;
    return () => {
      if (on) this.#noticeListeners--;
      on = false;
      off();
    };
  }

  /** Takes the notice frames of the client's connection. */
  handle(frame: ServerFrame): void {
    if (frame.type === 'notice') void this.deliver([frame.notice]);
    else if (frame.type === 'notice.withdrawn') this.#events.emit('withdrawn', { noticeId: frame.noticeId });
    else if (frame.type === 'ready' && this.#noticeListeners > 0) void this.catchUp();
  }

  /** Emits what arrived while this device was away, after the last notice it emitted. */
  catchUp(): Promise<void> {
    this.#catchingUp ??= (async () => {
      try {
        await this.loadSeen();
        let after = this.#seen || (await this.state()).readUpTo;
        for (;;) {
          const page = await this.list({ after, limit: 200 });
          for (const n of page.notices) await this.emitNotice(n);
          if (!page.nextCursor) return;
          after = Number(page.nextCursor);
        }
      } catch {
        // Not identified, or offline: the next connection tries again.
      } finally {
        this.#catchingUp = undefined;
      }
    })();
    return this.#catchingUp;
  }

  private async deliver(notices: Notice[]): Promise<void> {
    for (const n of notices) {
      await this.emitNotice(await this.checked(n));
      this.ack(n.noticeId);
    }
  }

  private async emitNotice(notice: VerifiedNotice): Promise<void> {
    await this.loadSeen();
    if (notice.noticeId > (this.#seen ?? 0)) {
      this.#seen = notice.noticeId;
      await putJson(this.store, SEEN, notice.noticeId);
    }
    this.#events.emit('notice', { ...notice, muted: this.#muted });
  }

  private async loadSeen(): Promise<void> {
    const stored = (await getJson<number>(this.store, SEEN)) ?? 0;
    this.#seen = Math.max(this.#seen ?? 0, stored);
  }

  private async checked(notice: Notice): Promise<VerifiedNotice> {
    const verification = await this.verify(notice);
    return { ...notice, verification, verified: verification === 'verified' };
  }

  private importKey(publicKey: string): Promise<CryptoKey | undefined> {
    let key = this.#keys.get(publicKey);
    if (!key) {
      key = (async () => {
        try {
          const raw = fromBase64url(publicKey);
          if (raw.length !== 32) return undefined;
          return await crypto.subtle.importKey('raw', raw as BufferSource, { name: 'Ed25519' }, false, ['verify']);
        } catch {
          return undefined;
        }
      })();
      this.#keys.set(publicKey, key);
    }
    return key;
  }
}
