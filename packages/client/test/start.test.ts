import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocketFactory } from '../src';
import { nodeWebSocketFactory } from '../src/node';
import { type Device, identifiedUser, openClient, register, setState, TestServer, waitFor } from './scenario-helpers';

describe('starting a client', () => {
  let t: TestServer;
  const devices: Device[] = [];
  afterEach(async () => {
    for (const d of devices.splice(0)) d.client.stop();
    await t?.close();
  });

  /** A socket factory that counts the sockets opened. */
  function counting() {
    const opened: string[] = [];
    const factory: WebSocketFactory = (url, protocols) => {
      opened.push(url);
      return nodeWebSocketFactory(url, protocols);
    };
    return { opened, factory };
  }

  it('opens one socket when started twice at once, and none when stopped while starting', async () => {
    t = await TestServer.start('sqlite');
    const { opened, factory } = counting();
    const alice = await identifiedUser(t, '+79001180001', { offline: true, webSocketFactory: factory });
    devices.push(alice);
    await Promise.all([alice.client.start(), alice.client.start()]);
    await alice.client.sync();
    expect(opened).toHaveLength(1);

    const second = counting();
    const bob = await openClient(t, '+79001180002', { webSocketFactory: second.factory });
    devices.push(bob);
    await register(t, bob);
    await setState(t, bob.accountId, 'identified');
    const starting = bob.client.start();
    bob.client.stop();
    await starting;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.opened).toEqual([]);
    expect(bob.client.connectionState).not.toBe('open');
    await bob.client.start();
    await waitFor(() => second.opened.length === 1, 'a socket after starting again');
  });
});
