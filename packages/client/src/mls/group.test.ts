import { beforeEach, describe, expect, it } from 'vitest';
import type { MlsContext } from './context';
import {
  CredentialRejectedError,
  EpochError,
  GroupPolicyError,
  MessageReplayError,
  NotAMemberError,
  PendingCommitError,
  PendingProposalsError,
} from './errors';
import type { IncomingEvent } from './events';
import { createExternalRemoveProposal } from './external-sender';
import type { MlsGroup, PendingCommit } from './group';
import { parseCredentialSubject } from './identity';
import { createGroup, joinGroupFromWelcome, restoreGroup } from './lifecycle';
import { createFakeServer, createTestDevice, type FakeServer, readText, type TestDevice, text } from './test-support';

let server: FakeServer;
let alice: TestDevice;
let bob: TestDevice;
let carol: TestDevice;

beforeEach(async () => {
  server = await createFakeServer();
  alice = await createTestDevice(server, 'alice');
  bob = await createTestDevice(server, 'bob');
  carol = await createTestDevice(server, 'carol');
});

/** Commits through the fake server; on acceptance confirms and returns the Welcome. */
async function commitAccepted(group: MlsGroup, pending: PendingCommit) {
  expect(server.submitCommit(group, pending)).toBe('accepted');
  await pending.confirm();
  return pending;
}

async function join(device: TestDevice, welcome: Uint8Array | undefined) {
  const candidates = [...device.keyPackages.oneTime, device.keyPackages.lastResort];
  return (await joinGroupFromWelcome(device.ctx, welcome!, candidates)).group;
}

async function send(from: MlsGroup, message: string, ...to: MlsGroup[]) {
  const out = await from.encrypt(text(message));
  const events: IncomingEvent[] = [];
  for (const g of to) events.push(await g.receive(out.payload));
  for (const e of events) {
    expect(e.kind).toBe('application');
    if (e.kind === 'application') expect(readText(e.plaintext)).toBe(message);
  }
  return { out, events };
}

async function deliver(bytes: Uint8Array, ...to: MlsGroup[]) {
  const events: IncomingEvent[] = [];
  for (const g of to) events.push(await g.receive(bytes));
  return events;
}

/** Alice's group with Bob (and Carol if asked) in it. */
async function groupOf(withCarol: boolean) {
  const a = await createGroup(alice.ctx, alice.keys);
  const add = [bob.keyPackages.oneTime[0]!.keyPackage];
  if (withCarol) add.push(carol.keyPackages.oneTime[0]!.keyPackage);
  const pending = await commitAccepted(a, await a.commit({ add }));
  const b = await join(bob, pending.welcome);
  const c = withCarol ? await join(carol, pending.welcome) : undefined;
  return { a, b, c };
}

const names = (g: MlsGroup) => g.members.map((m) => m.accountId).sort();

describe('MLS groups', () => {
  it('lets Alice create a group, add Bob by Welcome, and exchange messages both ways', async () => {
    const a = await createGroup(alice.ctx, alice.keys);
    expect(a.epoch).toBe(0n);
    expect(a.groupId.length).toBeGreaterThanOrEqual(16);
    const pending = await a.commit({ add: [bob.keyPackages.oneTime[1]!.keyPackage] });
    expect(pending.welcome).toBeInstanceOf(Uint8Array);
    expect(pending.added.map((m) => m.accountId)).toEqual(['acc_bob']);
    expect(a.epoch).toBe(0n); // nothing moves before the server accepts
    await commitAccepted(a, pending);
    expect(a.epoch).toBe(1n);

    const joined = await joinGroupFromWelcome(bob.ctx, pending.welcome!, [
      ...bob.keyPackages.oneTime,
      bob.keyPackages.lastResort,
    ]);
    expect(joined.keyPackage.ref).toBe(bob.keyPackages.oneTime[1]!.ref);
    const b = joined.group;
    expect(b.epoch).toBe(1n);
    expect(b.conversationId).toBe(a.conversationId);
    expect(names(b)).toEqual(['acc_alice', 'acc_bob']);
    expect(b.self).toMatchObject({ accountId: 'acc_bob', deviceId: 'dev_bob', leafIndex: 1 });

    const { events } = await send(a, 'hello Bob', b);
    expect(events[0]).toMatchObject({ kind: 'application', sender: { accountId: 'acc_alice', deviceId: 'dev_alice' } });
    const back = await send(b, 'hello Alice', a);
    expect(back.events[0]).toMatchObject({ sender: { accountId: 'acc_bob' } });
    await send(a, 'second', b);
  });

  it('adds Carol, after which all three exchange messages', async () => {
    const { a, b } = await groupOf(false);
    const pending = await a.commit({ add: [carol.keyPackages.oneTime[0]!.keyPackage] });
    await commitAccepted(a, pending);
    const [event] = await deliver(pending.commit, b);
    expect(event).toMatchObject({ kind: 'commit', epoch: 2n, committer: { accountId: 'acc_alice' }, own: false });
    expect(event?.kind === 'commit' && event.added.map((m) => m.accountId)).toEqual(['acc_carol']);
    const c = await join(carol, pending.welcome);
    expect(names(c)).toEqual(['acc_alice', 'acc_bob', 'acc_carol']);

    await send(a, 'from Alice', b, c);
    await send(b, 'from Bob', a, c);
    await send(c, 'from Carol', a, b);
  });

  it('removes Bob, who learns it and cannot decrypt anything sent afterwards', async () => {
    const { a, b, c } = await groupOf(true);
    const bobBefore = restoreGroup(bob.ctx, b.serialize());
    const bobLeaf = b.self!.leafIndex;
    const pending = await a.commit({ remove: [bobLeaf] });
    expect(pending.removed.map((m) => m.accountId)).toEqual(['acc_bob']);
    await commitAccepted(a, pending);
    const [atBob, atCarol] = await deliver(pending.commit, b!, c!);
    expect(atBob).toMatchObject({ kind: 'commit', removedSelf: true });
    expect(atCarol).toMatchObject({ kind: 'commit', removedSelf: false, epoch: 2n });
    expect(b.isMember).toBe(false);
    expect(names(a)).toEqual(['acc_alice', 'acc_carol']);

    const after = await a.encrypt(text('Bob must not read this'));
    expect(readText(((await c!.receive(after.payload)) as { plaintext: Uint8Array }).plaintext)).toBe(
      'Bob must not read this',
    );
    await expect(b.receive(after.payload)).rejects.toBeInstanceOf(NotAMemberError);
    await expect(b.encrypt(text('still here?'))).rejects.toBeInstanceOf(NotAMemberError);
    // Even a copy of Bob's state from before the removal has no key for the new epoch.
    await expect(bobBefore.receive(after.payload)).rejects.toBeInstanceOf(EpochError);
  });

  it('takes one of two commits made in the same epoch; the loser discards, processes the winner and retries', async () => {
    const { a, b } = await groupOf(false);
    const dave = await createTestDevice(server, 'dave');
    const fromAlice = await a.commit({ add: [carol.keyPackages.oneTime[0]!.keyPackage] });
    const fromBob = await b.commit({ add: [dave.keyPackages.oneTime[0]!.keyPackage] });
    expect(fromAlice.epoch).toBe(1n);
    expect(fromBob.epoch).toBe(1n);

    // The server orders Bob's first; Alice's names an epoch that is gone.
    expect(server.submitCommit(b, fromBob)).toBe('accepted');
    await fromBob.confirm();
    expect(server.submitCommit(a, fromAlice)).toBe('conflict');

    // While her commit is pending Alice can neither send nor process handshakes.
    await expect(a.encrypt(text('x'))).rejects.toBeInstanceOf(PendingCommitError);
    await expect(a.receive(fromBob.commit)).rejects.toBeInstanceOf(PendingCommitError);
    await expect(a.commit()).rejects.toBeInstanceOf(PendingCommitError);

    await fromAlice.discard();
    await expect(fromAlice.confirm()).rejects.toBeInstanceOf(PendingCommitError);
    const [caughtUp] = await deliver(fromBob.commit, a);
    expect(caughtUp).toMatchObject({ kind: 'commit', epoch: 2n, committer: { accountId: 'acc_bob' } });
    const d = await join(dave, fromBob.welcome);

    const retry = await a.commit({ add: [carol.keyPackages.oneTime[0]!.keyPackage] });
    expect(retry.epoch).toBe(2n);
    expect(server.submitCommit(a, retry)).toBe('accepted');
    // The server's copy of her own commit in the stream also confirms it.
    const [own] = await deliver(retry.commit, a);
    expect(own).toMatchObject({ kind: 'commit', own: true, epoch: 3n });
    await deliver(retry.commit, b, d);
    const c = await join(carol, retry.welcome);

    expect(names(a)).toEqual(['acc_alice', 'acc_bob', 'acc_carol', 'acc_dave']);
    await send(a, 'all four', b, c, d);
    await send(d, 'hi from Dave', a, b, c);
  });

  it('applies the server’s external Remove of Carol in the next commit', async () => {
    const { a, b, c } = await groupOf(true);
    const carolLeaf = c!.self!.leafIndex;
    const proposal = await createExternalRemoveProposal(server.cs, server.signer, {
      groupId: a.groupId,
      epoch: server.epochOf(a.conversationId),
      leafIndex: carolLeaf,
      device: carol.keys.identity,
    });
    const events = await deliver(proposal, a, b, c!);
    for (const e of events) {
      expect(e).toMatchObject({
        kind: 'proposal',
        accepted: true,
        from: { type: 'server', serverId: 'signet-test' },
        proposal: { type: 'remove', leafIndex: carolLeaf, member: { accountId: 'acc_carol' } },
      });
    }
    expect(b.pendingProposals).toHaveLength(1);
    // Nobody sends until the proposal is committed, and Carol cannot commit her own removal.
    await expect(b.encrypt(text('x'))).rejects.toBeInstanceOf(PendingProposalsError);
    await expect(c!.commit()).rejects.toBeInstanceOf(GroupPolicyError);

    // The stored proposal survives a restart of Bob's client.
    const bobRestored = restoreGroup(bob.ctx, b.serialize());
    expect(bobRestored.pendingProposals).toEqual(b.pendingProposals);
    const pending = await bobRestored.commit();
    expect(pending.removed.map((m) => m.accountId)).toEqual(['acc_carol']);
    await commitAccepted(bobRestored, pending);
    const [atAlice, atCarol] = await deliver(pending.commit, a, c!);
    expect(atAlice).toMatchObject({ kind: 'commit', committer: { accountId: 'acc_bob' } });
    expect(atCarol).toMatchObject({ kind: 'commit', removedSelf: true });
    expect(names(a)).toEqual(['acc_alice', 'acc_bob']);
    expect(c!.isMember).toBe(false);
    await send(a, 'without Carol', bobRestored);
  });

  it('refuses a server removal whose named device is not the one at that leaf', async () => {
    const { a, b } = await groupOf(true);
    const proposal = await createExternalRemoveProposal(server.cs, server.signer, {
      groupId: a.groupId,
      epoch: a.epoch,
      leafIndex: 2,
      device: bob.keys.identity, // leaf 2 is Carol's
    });
    for (const e of await deliver(proposal, a, b)) expect(e).toMatchObject({ kind: 'proposal', accepted: false });
    expect(a.pendingProposals).toHaveLength(0);
    await send(a, 'nothing changed', b);
  });

  it('lets a member leave by proposing its own removal, which the next commit carries', async () => {
    const { a, b, c } = await groupOf(true);
    const leave = await b.proposeLeave();
    expect(leave.kind).toBe('proposal');
    const [atAlice] = await deliver(leave.payload, a, c!);
    expect(atAlice).toMatchObject({
      kind: 'proposal',
      accepted: true,
      proposal: { type: 'remove', member: { accountId: 'acc_bob' } },
    });
    const pending = await a.commit();
    await commitAccepted(a, pending);
    const [atBob] = await deliver(pending.commit, b, c!);
    expect(atBob).toMatchObject({ kind: 'commit', removedSelf: true });
    expect(names(c!)).toEqual(['acc_alice', 'acc_carol']);
  });

  it('refuses to add a device whose server binding signature is wrong, before making any commit', async () => {
    const a = await createGroup(alice.ctx, alice.keys);
    const mallory = await createTestDevice(server, 'mallory', { bind: false });
    const kp = mallory.keyPackages.oneTime[0]!.keyPackage;
    await expect(a.commit({ add: [kp] })).rejects.toBeInstanceOf(CredentialRejectedError);

    // A binding with a forged signature.
    const real = await server.issue(mallory.keys);
    const sig = real.signature;
    server.bindings.set('acc_mallory|dev_mallory', { ...real, signature: (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1) });
    const rejected = a.commit({ add: [kp] });
    await expect(rejected).rejects.toBeInstanceOf(CredentialRejectedError);
    await expect(rejected).rejects.toThrow(/does not verify/);

    // A genuine binding of another device's key does not vouch for this one.
    server.bindings.set('acc_mallory|dev_mallory', {
      ...(await server.issue(bob.keys)),
      accountId: 'acc_mallory',
      deviceId: 'dev_mallory',
    });
    await expect(a.commit({ add: [kp] })).rejects.toThrow(/another account, device or key/);

    expect(a.epoch).toBe(0n);
    expect(a.pendingCommit).toBeUndefined();
    expect(names(a)).toEqual(['acc_alice']);
  });

  it('refuses to join, or to follow a commit into, a group holding a member nobody vouched for', async () => {
    const mallory = await createTestDevice(server, 'mallory', { bind: false });
    // Mallory (and, below, Alice) run a client that skips every credential check.
    const lax = (ctx: MlsContext): MlsContext => ({
      ...ctx,
      validator: { validate: async (credential) => ({ valid: true, subject: parseCredentialSubject(credential)! }) },
      clientConfig: { ...ctx.clientConfig, authService: { validateCredential: async () => true } },
    });
    const m = await createGroup(lax(mallory.ctx), mallory.keys);
    const pending = await m.commit({ add: [bob.keyPackages.oneTime[0]!.keyPackage] });
    await pending.confirm();
    await expect(join(bob, pending.welcome)).rejects.toBeInstanceOf(CredentialRejectedError);

    const { a, b } = await groupOf(false);
    const laxAlice = restoreGroup(lax(alice.ctx), a.serialize());
    const addMallory = await laxAlice.commit({ add: [mallory.keyPackages.oneTime[0]!.keyPackage] });
    await expect(b.receive(addMallory.commit)).rejects.toBeInstanceOf(CredentialRejectedError);
    expect(b.epoch).toBe(1n);
  });

  it('keeps working after its state is serialised and restored, pending commit included', async () => {
    const { a, b } = await groupOf(false);
    await send(a, 'before', b);
    const bobRestored = restoreGroup(bob.ctx, b.serialize());
    expect(bobRestored.epoch).toBe(1n);
    expect(names(bobRestored)).toEqual(['acc_alice', 'acc_bob']);
    await send(a, 'after restore', bobRestored);
    await send(bobRestored, 'reply after restore', a);

    // Alice restarts between sending a commit and hearing from the server.
    const pending = await a.commit({ add: [carol.keyPackages.oneTime[0]!.keyPackage] });
    const aliceRestored = restoreGroup(alice.ctx, a.serialize());
    const restoredPending = aliceRestored.pendingCommit!;
    expect(restoredPending.epoch).toBe(1n);
    expect(restoredPending.commit).toEqual(pending.commit);
    expect(restoredPending.added.map((m) => m.accountId)).toEqual(['acc_carol']);
    await commitAccepted(aliceRestored, restoredPending);
    await deliver(restoredPending.commit, bobRestored);
    const c = await join(carol, restoredPending.welcome);
    await send(aliceRestored, 'three of us', bobRestored, c);
    await send(c, 'Carol here', aliceRestored, bobRestored);
  });

  it('decrypts each message once: replays of a message, a commit or a proposal are refused', async () => {
    const { a, b, c } = await groupOf(true);
    const { out } = await send(a, 'once', b);
    await expect(b.receive(out.payload)).rejects.toBeInstanceOf(MessageReplayError);

    // A restored copy made after decryption does not regain the key either.
    const bobRestored = restoreGroup(bob.ctx, b.serialize());
    await expect(bobRestored.receive(out.payload)).rejects.toBeInstanceOf(MessageReplayError);

    const proposal = await createExternalRemoveProposal(server.cs, server.signer, {
      groupId: a.groupId,
      epoch: a.epoch,
      leafIndex: c!.self!.leafIndex,
      device: carol.keys.identity,
    });
    await deliver(proposal, b);
    await expect(b.receive(proposal)).rejects.toBeInstanceOf(MessageReplayError);

    await deliver(proposal, a);
    const pending = await commitAccepted(a, await a.commit());
    await deliver(pending.commit, b);
    await expect(b.receive(pending.commit)).rejects.toBeInstanceOf(EpochError);
  });

  it('still decrypts a message from the previous epoch that arrives after a commit', async () => {
    const { a, b } = await groupOf(false);
    const late = await b.encrypt(text('sent just before the commit'));
    const pending = await commitAccepted(a, await a.commit());
    await deliver(pending.commit, b);
    const event = await a.receive(late.payload);
    expect(event).toMatchObject({ kind: 'application', epoch: 1n, sender: { accountId: 'acc_bob' } });
    await expect(a.receive(late.payload)).rejects.toBeInstanceOf(MessageReplayError);
  });
});
