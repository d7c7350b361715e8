import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { getPayload, newSecret, signature, signHeaders, verifySignature } from './signing';

describe('standard webhooks signing', () => {
  const secret = newSecret(randomBytes(32));
  const now = Date.parse('2026-11-29T10:00:00Z');

  it('produces the same signature as the standardwebhooks library', () => {
    const payload = '{"type":"identification.completed","x":"é"}';
    const ours = signature(secret, 'msg_1', now / 1000, payload);
    const theirs = new Webhook(secret).sign('msg_1', new Date(now), payload);
    expect(ours).toBe(theirs);
  });

  it('verifies with any current secret and refuses others, stale times and missing headers', () => {
    const other = newSecret(randomBytes(32));
    const headers = signHeaders(secret, 'msg_2', now, 'body');
    expect(verifySignature([other, secret], headers, 'body', now)).toBe('ok');
    expect(verifySignature([other], headers, 'body', now)).toBe('bad-signature');
    expect(verifySignature([secret], headers, 'body!', now)).toBe('bad-signature');
    expect(verifySignature([secret], headers, 'body', now + 301_000)).toBe('stale');
    expect(verifySignature([secret], headers, 'body', now - 301_000)).toBe('stale');
    expect(verifySignature([secret], headers, 'body', now + 300_000)).toBe('ok');
    expect(verifySignature([secret], { ...headers, 'webhook-signature': undefined }, 'body', now)).toBe('missing');
  });

  it('accepts several space-separated signatures', () => {
    const headers = signHeaders(secret, 'msg_3', now, 'x');
    const both = { ...headers, 'webhook-signature': `v1,AAAA ${headers['webhook-signature']}` };
    expect(verifySignature([secret], both, 'x', now)).toBe('ok');
  });

  it('signs a GET as its method and target', () => {
    expect(getPayload('get', '/v1/identifications/idr_1?messengerId=m1')).toBe(
      'GET /v1/identifications/idr_1?messengerId=m1',
    );
  });
});
