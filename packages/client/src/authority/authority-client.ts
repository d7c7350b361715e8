import type {
  AuthorityIdentity,
  CreateDataRequest,
  CreateRestrictionOrder,
  DataRequestAnswer,
  Mailing,
  MailingList,
  MailingSent,
  NoticeContent,
  RestrictionOrder,
  RestrictionOrderList,
  RestrictionOrdersQuery,
  RestrictionOrderWithTrail,
} from '@signet/protocol';
import { SignetApiError, SignetNetworkError } from '../api/http-client';
import type { AuthoritySigner } from './signer';

export interface AuthorityClientOptions {
  baseUrl: string;
  signer: AuthoritySigner;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (tests move it); default Date.now. */
  now?: () => number;
}

/** The authority API over HTTP, every request signed. */
export class AuthorityClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: AuthorityClientOptions) {
    this.fetchImpl = options.fetch ?? ((...args) => fetch(...args));
  }

  me(): Promise<AuthorityIdentity> {
    return this.request('GET', '/authority/v1/me');
  }

  dataRequest(input: CreateDataRequest): Promise<DataRequestAnswer> {
    return this.request('POST', '/authority/v1/data-requests', input);
  }

  /** Issues a restriction order (role `restriction`); it takes effect at once. */
  issueOrder(input: CreateRestrictionOrder): Promise<RestrictionOrder> {
    return this.request('POST', '/authority/v1/orders', input);
  }

  /** Revokes one of this authority's active orders, with a reason; what it restricted is restored. */
  revokeOrder(orderId: string, reason: string): Promise<RestrictionOrder> {
    return this.request('POST', `/authority/v1/orders/${encodeURIComponent(orderId)}/revoke`, { reason });
  }

  /** This authority's orders, newest first; pass `nextCursor` as `before` for the next page. */
  listOrders(query: RestrictionOrdersQuery = {}): Promise<RestrictionOrderList> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return this.request('GET', `/authority/v1/orders${qs ? `?${qs}` : ''}`);
  }

  /** One of this authority's orders, with its audit trail. */
  getOrder(orderId: string): Promise<RestrictionOrderWithTrail> {
    return this.request('GET', `/authority/v1/orders/${encodeURIComponent(orderId)}`);
  }

  /** Signs the notice with the authority's key and sends it as an official mailing (`issuedAt` defaults to now). */
  async sendMailing(input: Omit<NoticeContent, 'issuedAt'> & { issuedAt?: number }): Promise<MailingSent> {
    const notice: NoticeContent = { ...input, issuedAt: input.issuedAt ?? (this.options.now ?? Date.now)() };
    const signature = await this.options.signer.signNotice(notice);
    return this.request('POST', '/authority/v1/mailings', { notice, signature });
  }

  /** This authority's mailings, newest first, with delivery and read counts. */
  mailings(options: { before?: string; limit?: number } = {}): Promise<MailingList> {
    const query = new URLSearchParams();
    if (options.before) query.set('before', options.before);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const qs = query.toString();
    return this.request('GET', `/authority/v1/mailings${qs ? `?${qs}` : ''}`);
  }

  mailing(mailingId: number): Promise<Mailing> {
    return this.request('GET', `/authority/v1/mailings/${mailingId}`);
  }

  /** Withdraws a mailing: it leaves every account's notices. */
  withdrawMailing(mailingId: number): Promise<Mailing> {
    return this.request('DELETE', `/authority/v1/mailings/${mailingId}`);
  }

  async request<T>(method: string, target: string, body?: unknown): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      ...(await this.options.signer.sign(method, target, text, this.options.now ? { now: this.options.now() } : {})),
    };
    if (text !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(this.options.baseUrl.replace(/\/+$/, '') + target, { method, headers, body: text });
    } catch (error) {
      throw new SignetNetworkError(`cannot reach ${this.options.baseUrl}: ${(error as Error).message}`);
    }
    const answer = await res.text();
    let json: any;
    try {
      json = answer ? JSON.parse(answer) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      throw new SignetApiError(res.status, json?.code ?? 'UNKNOWN', json?.message ?? res.statusText, json?.details);
    }
    return json as T;
  }
}
