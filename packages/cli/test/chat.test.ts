import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../server/test/harness';

// The real binary once main.ts registers the chat commands; until then an entry that registers only them.
const wired = readFileSync(resolve(import.meta.dirname, '../src/main.ts'), 'utf8').includes('registerChatCommands');
const BIN = resolve(import.meta.dirname, wired ? '../bin/signet.mjs' : 'chat-bin.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout's JSON lines. */
  json: any[];
}

/** Runs `signet …` as a user would, answering a prompt on stdin if asked. */
function signet(args: string[], options: { answer?: (prompt: string) => string | undefined } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, SIGNET_SERVER: '', SIGNET_HOME: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      const reply = options.answer?.(stderr);
      if (reply !== undefined) child.stdin.write(`${reply}\n`);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      const json = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      done({ code, stdout, stderr, json });
    });
  });
}

describe('signet chat commands', () => {
  let t: TestServer;
  let home: string;
  beforeAll(async () => {
    t = await TestServer.start('sqlite');
    home = mkdtempSync(join(tmpdir(), 'signet-cli-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const as = (who: string, ...args: string[]) => [...args, '--json', '--server', t.url, '--profile', join(home, who)];

  async function identify(accountId: string) {
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
        return t.sms.lastCode(bobPhone);
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
