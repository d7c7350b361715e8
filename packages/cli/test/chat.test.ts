import { describe, expect, it } from 'vitest';
import { cliServer, signet } from './support';

describe('signet chat commands', () => {
  const cli = cliServer('signet-cli-');
  const { as } = cli;

  async function identify(accountId: string) {
    const { t } = cli;
    await t.ctx.db.db.updateTable('accounts').set({ state: 'identified' }).where('id', '=', accountId).execute();
    await t.ctx.identification.manager.announce([{ accountId, state: 'identified', failure: null, deadlineAt: null }]);
  }

  it('registers two profiles, sends from one and receives on the other', { timeout: 240_000 }, async () => {
    const alicePhone = '+79001310001';
    const bobPhone = '+79001310002';

    // Alice takes the code from the development SMS sink; Bob types it when asked.
    const alice = await signet(as('alice', 'register', alicePhone, '--dev-code', '--device-name', 'laptop'));
    expect(alice.code, alice.stderr).toBe(0);
    expect(alice.json[0]).toMatchObject({ phoneNumber: alicePhone, outcome: 'created' });
    expect(alice.json[0].token).toBeUndefined();
    let asked = false;
    const bob = await signet(as('bob', 'register', bobPhone), {
      answer: (prompt) => {
        if (asked || !prompt.includes('SMS code')) return undefined;
        asked = true;
        return cli.t.sms.lastCode(bobPhone);
      },
    });
    expect(bob.code, bob.stderr).toBe(0);
    expect(asked).toBe(true);
    await identify(alice.json[0].accountId);
    await identify(bob.json[0].accountId);

    const status = await signet(as('bob', 'status'));
    expect(status.code, status.stderr).toBe(0);
    expect(status.json[0]).toMatchObject({ phoneNumber: bobPhone, state: 'identified' });
    expect(status.json[0].keyPackages.count).toBeGreaterThan(0);

    const sent = await signet(as('alice', 'send', bobPhone, 'hello', 'from', 'the', 'CLI'));
    expect(sent.code, sent.stderr).toBe(0);
    const conversationId = sent.json[0].sent.conversationId;

    const heard = await signet(as('bob', 'listen', '--once', '--timeout', '30'));
    expect(heard.code, heard.stderr).toBe(0);
    const message = heard.json.find((j) => j.type === 'message');
    expect(message).toMatchObject({ conversationId, text: 'hello from the CLI', from: alice.json[0].accountId });

    const reply = await signet(as('bob', 'send', conversationId.slice(0, 8), 'hi Alice'));
    expect(reply.code, reply.stderr).toBe(0);
    const back = await signet(as('alice', 'listen', '--once', '--timeout', '30'));
    expect(back.json.find((j) => j.type === 'message')).toMatchObject({ text: 'hi Alice', fromName: bobPhone });

    const chats = await signet(as('alice', 'chats'));
    expect(chats.json[0].chats).toMatchObject([{ conversationId, kind: 'direct', name: bobPhone }]);

    const blocked = await signet(as('bob', 'block', alicePhone));
    expect(blocked.code, blocked.stderr).toBe(0);
    expect((await signet(as('bob', 'blocked'))).json[0].blocked).toMatchObject([
      { accountId: alice.json[0].accountId },
    ]);

    // A wrong chat is a clear error, as JSON too.
    const wrong = await signet(as('alice', 'send', 'nosuchchat', 'x'));
    expect(wrong.code).toBe(1);
    expect(wrong.json[0].error.message).toMatch(/no chat "nosuchchat"/);
  });
});
