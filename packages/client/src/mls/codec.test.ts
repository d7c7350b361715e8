import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromBase64url, toBase64url } from './bytes';
import { mlsMessageFromBytes, readMessageHeader, welcomeFromBytes } from './codec';
import { MlsCodecError } from './errors';
import { createGroup } from './lifecycle';
import { createFakeServer, createTestDevice } from './test-support';

describe('base64url', () => {
  it('round-trips any bytes without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(fromBase64url(text)).toEqual(bytes);
      }),
    );
    expect(() => fromBase64url('ab+c')).toThrow(MlsCodecError);
    expect(() => fromBase64url('abcde')).toThrow(MlsCodecError);
  });
});

describe('MLS message bytes', () => {
  it('read a group message header in the clear and refuse malformed or padded input', async () => {
    const server = await createFakeServer();
    const alice = await createTestDevice(server, 'alice');
    const bob = await createTestDevice(server, 'bob');
    const group = await createGroup(alice.ctx, alice.keys);
    const pending = await group.commit({ add: [bob.keyPackages.oneTime[0]!.keyPackage] });

    const header = readMessageHeader(mlsMessageFromBytes(pending.commit));
    expect(header).toMatchObject({ wireformat: 'mls_private_message', epoch: 0n, contentType: 'commit' });
    expect(header.groupId).toEqual(group.groupId);
    expect(welcomeFromBytes(pending.welcome!).secrets).toHaveLength(1);

    expect(() => welcomeFromBytes(pending.commit)).toThrow(MlsCodecError);
    expect(() => mlsMessageFromBytes(concatBytes(pending.commit, new Uint8Array([0])))).toThrow(/trailing/);
    expect(() => mlsMessageFromBytes(pending.commit.subarray(0, 20))).toThrow(MlsCodecError);
    expect(() => mlsMessageFromBytes(new Uint8Array([0xde, 0xad, 0xbe, 0xef]))).toThrow(MlsCodecError);
  });
});
