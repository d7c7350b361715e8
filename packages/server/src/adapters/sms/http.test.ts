import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmsConfig } from '../../config/config';
import { SmsFinalError, SmsRetryableError } from './gateway';
import { HttpSmsGateway } from './http';

type HttpConfig = Extract<SmsConfig, { provider: 'http' }>;

interface Received {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

const message = { to: '+79001234567', text: 'Code: 123456\nSay "hi" \\ bye' };

describe('HttpSmsGateway', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A provider on a loopback port that records each request and answers with `respond`. */
  async function provider(respond: (res: ServerResponse) => void = (res) => res.end('ok')) {
    const received: Received[] = [];
    const server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      received.push({ method: req.method ?? '', url: new URL(req.url ?? '/', 'http://x'), headers: req.headers, body });
      respond(res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`, received };
  }

  function gateway(config: Partial<HttpConfig> & { url: string }): HttpSmsGateway {
    return new HttpSmsGateway({
      provider: 'http',
      method: 'POST',
      bodyTemplate: '{"to":"{{to}}","text":"{{text}}"}',
      contentType: 'application/json',
      timeoutMs: 2_000,
      ...config,
    });
  }

  it('renders the JSON template with quotes, backslashes and newlines escaped', async () => {
    const { url, received } = await provider();
    await gateway({ url, bodyTemplate: '{"to":"{{to}}","text":"{{text}}","from":"{{from}}"}', from: 'Signet' }).send(
      message,
    );

    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received[0]!.body)).toEqual({ ...message, from: 'Signet' });
  });

  it('renders a form-encoded template and leaves unknown placeholders alone', async () => {
    const { url, received } = await provider();
    const contentType = 'application/x-www-form-urlencoded';
    await gateway({ url, contentType, bodyTemplate: 'phone={{to}}&msg={{text}}&x={{constructor}}' }).send(message);

    expect(received[0]!.headers['content-type']).toBe(contentType);
    const form = new URLSearchParams(received[0]!.body);
    expect(form.get('phone')).toBe(message.to);
    expect(form.get('msg')).toBe(message.text);
    expect(form.get('x')).toBe('{{constructor}}');
  });

  it('sends GET with to, text and from in the query, keeping the query already in the URL', async () => {
    const { url, received } = await provider();
    await gateway({ url: `${url}?key=k1`, method: 'GET', from: 'Signet' }).send(message);

    const { method, url: got, body } = received[0]!;
    expect(method).toBe('GET');
    expect(Object.fromEntries(got.searchParams)).toEqual({ key: 'k1', ...message, from: 'Signet' });
    expect(body).toBe('');
  });

  it('sends the configured Authorization header, and none otherwise', async () => {
    const { url, received } = await provider();
    await gateway({ url, authorization: 'Bearer t0ken' }).send(message);
    await gateway({ url }).send(message);

    expect(received[0]!.headers.authorization).toBe('Bearer t0ken');
    expect(received[1]!.headers.authorization).toBeUndefined();
  });

  it.each([200, 201, 204])('takes %i as sent', async (status) => {
    const { url } = await provider((res) => res.writeHead(status).end());
    await expect(gateway({ url }).send(message)).resolves.toBeUndefined();
  });

  it.each([429, 500, 502, 503])('turns %i into a retryable error', async (status) => {
    const { url } = await provider((res) => res.writeHead(status).end('busy'));
    const sending = gateway({ url }).send(message);
    await expect(sending).rejects.toBeInstanceOf(SmsRetryableError);
    await expect(sending).rejects.toThrow(String(status));
  });

  it.each([400, 401, 403, 404, 422])('turns %i into a final error', async (status) => {
    const { url } = await provider((res) => res.writeHead(status).end('no'));
    await expect(gateway({ url }).send(message)).rejects.toBeInstanceOf(SmsFinalError);
  });

  it('does not follow a redirect: it is a final error, not a silent GET elsewhere', async () => {
    const { url, received } = await provider((res) => res.writeHead(302, { location: '/elsewhere' }).end());
    await expect(gateway({ url }).send(message)).rejects.toBeInstanceOf(SmsFinalError);
    expect(received).toHaveLength(1);
  });

  it('gives a retryable error when the provider is unreachable', async () => {
    const { url } = await provider();
    await cleanups.pop()!();
    await expect(gateway({ url }).send(message)).rejects.toThrow(/unreachable: .*ECONNREFUSED/);
  });

  it('gives a retryable error when the provider does not answer in time', async () => {
    const { url, received } = await provider(() => {});
    const sending = gateway({ url, timeoutMs: 100 }).send(message);
    await expect(sending).rejects.toBeInstanceOf(SmsRetryableError);
    await expect(sending).rejects.toThrow(/timeout/);
    expect(received).toHaveLength(1);
  });
});
