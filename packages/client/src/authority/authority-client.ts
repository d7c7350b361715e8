import type { AuthorityIdentity, CreateDataRequest, DataRequestAnswer } from '@signet/protocol';
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
