import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthoritySigner } from './signer';

describe('authority request signing', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');

  it('signs the documented string with Ed25519, in the four Signet-* headers', async () => {
    const signer = await AuthoritySigner.fromCredential({ authorityId: 'auth_test', privateKey: pkcs8 });
    const body = '{"target":{"phoneNumber":"+79001234567"}}';
    const headers = await signer.sign('post', '/authority/v1/data-requests?x=1', body, {
      now: 1_800_000_000_999,
      nonce: 'nonce-0123456789abcdef',
    });
    expect(Object.keys(headers).sort()).toEqual([
      'signet-authority',
      'signet-nonce',
      'signet-signature',
      'signet-timestamp',
    ]);
    expect(headers['signet-authority']).toBe('auth_test');
    expect(headers['signet-timestamp']).toBe('1800000000');
    expect(headers['signet-nonce']).toBe('nonce-0123456789abcdef');
    const text = [
      'signet-authority-request-v1',
      'POST',
      '/authority/v1/data-requests?x=1',
      'auth_test',
      '1800000000',
      'nonce-0123456789abcdef',
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    const signature = Buffer.from(headers['signet-signature'], 'base64url');
    expect(signature).toHaveLength(64);
    expect(verify(null, Buffer.from(text), publicKey, signature)).toBe(true);
    // The server rebuilds the key from the 32 bytes it stores.
    const x = publicKey.export({ format: 'jwk' }).x as string;
    const rebuilt = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    expect(verify(null, Buffer.from(text), rebuilt, signature)).toBe(true);
  });

  it('hashes an absent body as empty, and makes a fresh nonce each time', async () => {
    const signer = await AuthoritySigner.fromCredential({ authorityId: 'auth_test', privateKey: pkcs8 });
    const a = await signer.sign('GET', '/authority/v1/me', undefined, { now: 0 });
    const b = await signer.sign('GET', '/authority/v1/me', undefined, { now: 0 });
    expect(a['signet-nonce']).not.toBe(b['signet-nonce']);
    expect(a['signet-nonce']).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const text = ['signet-authority-request-v1', 'GET', '/authority/v1/me', 'auth_test', '0', a['signet-nonce']].join(
      '\n',
    );
    const empty = createHash('sha256').update('').digest('hex');
    expect(
      verify(null, Buffer.from(`${text}\n${empty}`), publicKey, Buffer.from(a['signet-signature'], 'base64url')),
    ).toBe(true);
  });
});
