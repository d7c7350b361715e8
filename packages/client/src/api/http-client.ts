/** An error answered by the server, in its `{ status, code, message }` shape. */
export class SignetApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Seconds, from Retry-After. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'SignetApiError';
  }
}

/** The server could not be reached; the same call may work later. */
export class SignetNetworkError extends Error {
  override name = 'SignetNetworkError';
}

export interface HttpClientOptions {
  baseUrl: string;
  token?: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Typed JSON over HTTP to one server, with the device's bearer token when it has one. */
export class HttpClient {
  private token: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HttpClientOptions) {
    this.token = options.token;
    this.fetchImpl = options.fetch ?? ((...args) => fetch(...args));
  }

  get baseUrl(): string {
    return this.options.baseUrl.replace(/\/+$/, '');
  }

  setToken(token: string | undefined): void {
    this.token = token;
  }

  get sessionToken(): string | undefined {
    return this.token;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      'application/json',
    );
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  async bytes(method: string, path: string, body?: Uint8Array): Promise<Uint8Array> {
    const res = await this.send(method, path, body, 'application/octet-stream');
    return new Uint8Array(await res.arrayBuffer());
  }

  private async send(method: string, path: string, body: BodyInit | Uint8Array | undefined, type: string) {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = type;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: body as BodyInit | undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new SignetNetworkError(`cannot reach ${this.baseUrl}: ${(error as Error).message}`);
    }
    if (res.ok) return res;
    let parsed: { status?: number; code?: string; message?: string; details?: Record<string, unknown> } = {};
    try {
      parsed = await res.json();
    } catch {
      // not the server's error shape
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new SignetApiError(
      res.status,
      parsed.code ?? 'UNKNOWN',
      parsed.message ?? `HTTP ${res.status}`,
      parsed.details ?? {},
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
}
