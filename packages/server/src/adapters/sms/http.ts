import type { SmsConfig } from '../../config/config';
import { SmsFinalError, type SmsGateway, type SmsMessage, SmsRetryableError } from './gateway';

type HttpConfig = Extract<SmsConfig, { provider: 'http' }>;

/** A generic HTTP SMS provider: a URL, a method and a body template from configuration. */
export class HttpSmsGateway implements SmsGateway {
  readonly name = 'http';

  constructor(
    private readonly config: HttpConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async send(message: SmsMessage): Promise<void> {
    const values = { to: message.to, text: message.text, from: this.config.from ?? '' };
    const json = this.config.contentType.includes('json');
    const url = new URL(this.config.url);
    const headers: Record<string, string> = {};
    if (this.config.authorization) headers.authorization = this.config.authorization;
    let body: string | undefined;
    if (this.config.method === 'GET') {
      for (const [k, v] of Object.entries(values)) if (v) url.searchParams.set(k, v);
    } else {
      body = render(this.config.bodyTemplate, values, json ? jsonEscape : encodeURIComponent);
      headers['content-type'] = this.config.contentType;
    }
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: this.config.method,
        headers,
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
        // A redirect would turn a POST into a GET without the body and count as sent: refuse it instead.
        redirect: 'manual',
      });
    } catch (error) {
      // fetch says only "fetch failed"; the cause tells refused from unresolvable from reset.
      const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : error;
      throw new SmsRetryableError(`SMS provider unreachable: ${String(reason)}`);
    }
    await response.body?.cancel();
    if (response.ok) return;
    if (response.status === 429 || response.status >= 500) {
      throw new SmsRetryableError(`SMS provider answered ${response.status}`);
    }
    throw new SmsFinalError(`SMS provider refused the message with ${response.status}`);
  }
}

/** Replaces `{{name}}` placeholders, escaping each value for the body's format. */
export function render(template: string, values: Record<string, string>, escapeValue: (s: string) => string): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? escapeValue(values[key] as string) : whole,
  );
}

function jsonEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}
