import { type Clock, getPayload, type Logger, randomId, signHeaders } from '@signet/common';
import type { OperatorConfig } from '../config/config';

export type OperatorOutcome =
  | { kind: 'ok'; status: number; body: unknown }
  /** Network failure, 429 or 5xx: the same request may work later. */
  | { kind: 'retry'; retryAfterMs: number | undefined; reason: string }
  /** Any other answer: sending the same bytes again will not help. */
  | { kind: 'final'; status: number; body: unknown };

/** Signed HTTP calls to one operator's identification API (spec section 2). */
export class OperatorClient {
  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly log: Logger,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** A POST with a fixed webhook-id and body, so that a retry is the same request (section 2). */
  post(operator: OperatorConfig, path: string, webhookId: string, body: string): Promise<OperatorOutcome> {
    const headers = signHeaders(operator.secrets[0] as string, webhookId, this.clock.now(), body);
    return this.call(operator, 'POST', path, { ...headers, 'content-type': 'application/json' }, body);
  }

  /**
   * A GET signed over its method and target; every GET has a fresh webhook-id. The target is the one on
   * the wire, as the URL parser puts it there: with the path of the operator's base URL, if it has one.
   */
  get(operator: OperatorConfig, target: string): Promise<OperatorOutcome> {
    const url = new URL(operator.baseUrl + target);
    const headers = signHeaders(
      operator.secrets[0] as string,
      randomId('wh'),
      this.clock.now(),
      getPayload('GET', url.pathname + url.search),
    );
    return this.call(operator, 'GET', target, headers, undefined);
  }

  private async call(
    operator: OperatorConfig,
    method: string,
    target: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<OperatorOutcome> {
    const correlator = randomId('sg');
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(operator.baseUrl + target, {
        method,
        headers: { ...headers, 'x-correlator': correlator },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Inside the try: the timeout or a dropped connection may strike while the body is read.
      text = await response.text();
    } catch (error) {
      this.log.warn({ operator: operator.id, correlator, err: (error as Error).message }, 'operator unreachable');
      return { kind: 'retry', retryAfterMs: undefined, reason: (error as Error).message };
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (response.ok) return { kind: 'ok', status: response.status, body: parsed };
    // 401 too: a clock skew or a secret being rotated on the other side heals; the deadline still decides.
    if (response.status === 429 || response.status >= 500 || response.status === 401) {
      this.log.warn({ operator: operator.id, correlator, status: response.status }, 'operator asks to retry');
      return {
        kind: 'retry',
        retryAfterMs: retryAfterMs(response.headers.get('retry-after'), this.clock.now()),
        reason: `HTTP ${response.status}`,
      };
    }
    this.log.error({ operator: operator.id, correlator, status: response.status, body: parsed }, 'operator refused');
    return { kind: 'final', status: response.status, body: parsed };
  }
}

/** Retry-After in either of its HTTP forms, delay-seconds or an HTTP date (RFC 9110, 10.2.3), as a wait from now. */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) > 0 ? Number(trimmed) * 1000 : undefined;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) && at > nowMs ? at - nowMs : undefined;
}
