import { hostname } from 'node:os';
import { type ConversationSummary, describeContent, type SignetClient, SignetClientError } from '@signet/client/node';
import type { Command } from 'commander';
import { chatName, messageJson, messageLine, print, printError } from './chat-output';
import { ask, type ChatOptions, DEFAULT_SERVER, openProfile, type Profile } from './chat-profile';

/**
 * `signet register|status|chats|send|listen|group|block|unblock|blocked|safety-number`: a messenger
 * client on the SDK, one profile folder (the device's key store) per user.
 */
export function registerChatCommands(program: Command): void {
  common(program.command('register'))
    .description('Register this profile with a phone number (verified by SMS)')
    .argument('<number>', 'phone number, e.g. +79001234567')
    .option('--code <code>', 'the SMS code (asked for on stdin when absent)')
    .option('--dev-code', 'read the code from the development server’s SMS sink (GET /v1/dev/sms)')
    .option('--password <password>', 'the registration-lock password, if the number has one')
    .option('--device-name <name>', 'how this device is listed', `signet CLI on ${hostname()}`)
    .action((number: string, o: ChatOptions & RegisterOptions) =>
      withProfile(o, 'register', (p) => register(p, number, o)),
    );

  common(program.command('status'))
    .description('Show the account, its identification status and this device’s readiness')
    .action((o: ChatOptions) => withProfile(o, 'offline', (p) => status(p, o)));

  common(program.command('chats'))
    .description('List conversations')
    .action((o: ChatOptions) =>
      withProfile(o, 'online', async ({ client }) => {
        const list = await client.conversations.list();
        const rows: (ConversationSummary & { name: string; memberNames: string[] })[] = [];
        for (const c of list) {
          const members = [];
          for (const m of c.members) members.push(await client.contacts.displayName(m));
          rows.push({ ...c, name: await chatName(client, c.conversationId), memberNames: members });
        }
        print(o, { chats: rows }, () =>
          rows.length === 0
            ? 'No chats yet. Start one: signet send <number> <text>'
            : rows
                .map((r) => {
                  const last = r.lastMessage ? `  "${describeContent(r.lastMessage.content)}"` : '';
                  const state = r.status === 'active' ? '' : ` [${r.status}]`;
                  return `${r.conversationId.slice(0, 8)}  ${r.kind.padEnd(6)}  ${r.name}  (${r.memberNames.join(', ')})${state}${last}`;
                })
                .join('\n'),
        );
      }),
    );

  common(program.command('send'))
    .description('Send a text to a chat (id, id prefix or title) or to a number (starting a chat if needed)')
    .argument('<chat>', 'chat id, id prefix, group title, or phone number')
    .argument('<text...>', 'the message')
    .action((target: string, words: string[], o: ChatOptions) =>
      withProfile(o, 'online', async ({ client }) => {
        const conversationId = isPhone(target)
          ? (await client.conversations.direct(await accountOf(client, target))).conversationId
          : await resolveChat(client, target);
        const sent = await client.conversations.sendText(conversationId, words.join(' '));
        print(o, { sent: { conversationId, id: sent.id } }, `sent to ${await chatName(client, conversationId)}`);
      }),
    );

  common(program.command('listen'))
    .description('Print incoming messages until Ctrl-C (each acknowledged once stored)')
    .option('--once', 'exit after the first message')
    .option('--timeout <seconds>', 'give up after this many seconds (exit code 2)')
    .action((o: ChatOptions & { once?: boolean; timeout?: string }) => withProfile(o, 'listen', (p) => listen(p, o)));

  const group = program.command('group').description('Group chats');
  common(group.command('create'))
    .description('Create a group with these numbers')
    .argument('<name>', 'the group’s title')
    .argument('<numbers...>', 'members’ phone numbers')
    .action((name: string, numbers: string[], o: ChatOptions) =>
      withProfile(o, 'online', async ({ client }) => {
        const accounts = [];
        for (const n of numbers) accounts.push(await accountOf(client, n));
        const created = await client.conversations.createGroup(name, accounts);
        print(o, { created }, `created group "${name}" (${created.conversationId.slice(0, 8)})`);
      }),
    );
  for (const verb of ['add', 'remove'] as const) {
    common(group.command(verb))
      .description(verb === 'add' ? 'Add a number to a group' : 'Remove a number from a group')
      .argument('<chat>', 'chat id, id prefix or title')
      .argument('<number>', 'phone number')
      .action((chat: string, number: string, o: ChatOptions) =>
        withProfile(o, 'online', async ({ client }) => {
          const id = await resolveChat(client, chat);
          const account = await accountOf(client, number);
          if (verb === 'add') await client.conversations.addMembers(id, [account]);
          else await client.conversations.removeMembers(id, [account]);
          print(
            o,
            { [verb === 'add' ? 'added' : 'removed']: account, conversationId: id },
            `${verb === 'add' ? 'added' : 'removed'} ${number}`,
          );
        }),
      );
  }
  common(group.command('leave'))
    .description('Leave a group (the other members’ next commit removes this device)')
    .argument('<chat>', 'chat id, id prefix or title')
    .action((chat: string, o: ChatOptions) =>
      withProfile(o, 'online', async ({ client }) => {
        const id = await resolveChat(client, chat);
        await client.conversations.leave(id);
        print(o, { left: id }, `leaving ${await chatName(client, id)}`);
      }),
    );

  common(program.command('block'))
    .description('Refuse messages from a number')
    .argument('<number>', 'phone number')
    .action((number: string, o: ChatOptions) =>
      withProfile(o, 'offline', async ({ client }) => {
        const accountId = await client.blocks.blockNumber(number);
        print(o, { blocked: accountId }, `blocked ${number}`);
      }),
    );
  common(program.command('unblock'))
    .description('Accept messages from a number again')
    .argument('<number>', 'phone number')
    .action((number: string, o: ChatOptions) =>
      withProfile(o, 'offline', async ({ client }) => {
        const accountId = await client.blocks.unblockNumber(number);
        print(o, { unblocked: accountId }, `unblocked ${number}`);
      }),
    );
  common(program.command('blocked'))
    .description('List the numbers you refuse messages from')
    .action((o: ChatOptions) =>
      withProfile(o, 'offline', async ({ client }) => {
        const blocked = await client.blocks.list();
        print(o, { blocked }, () =>
          blocked.length === 0 ? 'Nobody is blocked.' : blocked.map((b) => b.phoneNumber ?? b.accountId).join('\n'),
        );
      }),
    );

  common(program.command('safety-number'))
    .description('Show the safety number with a contact, to compare out of band')
    .argument('<number>', 'phone number')
    .option('--mark-verified', 'record that you compared it and it matched')
    .action((number: string, o: ChatOptions & { markVerified?: boolean }) =>
      withProfile(o, 'offline', async ({ client }) => {
        const account = await accountOf(client, number);
        if (o.markVerified) await client.contacts.markVerified(account);
        const sn = await client.contacts.safetyNumber(account);
        print(o, sn, `${sn.formatted}\n${sn.verified ? 'verified' : 'not verified: compare it with your contact'}`);
      }),
    );
}

interface RegisterOptions {
  code?: string;
  devCode?: boolean;
  password?: string;
  deviceName: string;
}

export function common(command: Command): Command {
  return command
    .option('--json', 'print JSON (one object per line)')
    .option('--server <url>', `the messenger (default: the profile's, SIGNET_SERVER, or ${DEFAULT_SERVER})`)
    .option('--profile <dir>', 'profile folder holding the device’s keys (default SIGNET_HOME or ~/.signet)');
}

/**
 * Runs a command on the profile and exits. `online` connects and processes what waits in the inbox
 * first (new chats, commits), so that the command acts on current groups; `listen` connects itself.
 */
export async function withProfile(
  options: ChatOptions,
  mode: 'register' | 'offline' | 'online' | 'listen',
  run: (profile: Profile) => Promise<unknown>,
): Promise<void> {
  let profile: Profile | undefined;
  let code = 0;
  try {
    profile = await openProfile(options);
    if (mode !== 'register') profile.client.session.require();
    if (mode === 'online') {
      await profile.client.start();
      await profile.client.sync();
    }
    const result = await run(profile);
    code = typeof result === 'number' ? result : 0;
  } catch (error) {
    printError(options, error);
    code = 1;
  }
  if (profile && profile.client.connectionState !== 'stopped') {
    // Let the last acknowledgements leave before the socket closes.
    await profile.client.inbox.idle();
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  profile?.close();
  process.exit(code);
}

async function register(profile: Profile, number: string, o: ChatOptions & RegisterOptions): Promise<void> {
  const { client, dir } = profile;
  const { session } = client;
  if (session.current) {
    throw new SignetClientError(
      `the profile ${dir} is already registered (${session.current.phoneNumber}); use --profile for another one`,
    );
  }
  const verification = await session.startVerification(number);
  let code = o.code;
  if (!code && o.devCode) code = await devCode(client, verification.phoneNumber);
  code ??= await ask(`SMS code sent to ${verification.phoneNumber}: `);
  await session.verifyCode(verification.id, code);
  const registered = await session.register({
    verificationSessionId: verification.id,
    deviceName: o.deviceName,
    ...(o.password ? { password: o.password } : {}),
  });
  if (registered.state === 'identified') await client.device.ensureReady();
  const status = await session.identification();
  print(
    o,
    { ...registered, token: undefined, phoneNumber: verification.phoneNumber, profile: dir, hint: status.hint },
    `Registered ${verification.phoneNumber} (account ${registered.accountId}, ${registered.outcome}).\n` +
      `Identification: ${status.state}. ${status.hint}`,
  );
}

async function status({ client, dir }: Profile, o: ChatOptions): Promise<void> {
  const current = client.session.require();
  const status = await client.session.identification();
  let keyPackages = null;
  if (status.state === 'identified') {
    await client.device.ensureReady();
    keyPackages = await client.api.keyPackageStock();
  }
  print(
    o,
    {
      phoneNumber: current.phoneNumber,
      accountId: current.accountId,
      deviceId: current.deviceId,
      server: client.api.http.baseUrl,
      profile: dir,
      state: status.state,
      hint: status.hint,
      deadlineAt: status.deadlineAt,
      keyPackages,
    },
    [
      `${current.phoneNumber}  account ${current.accountId}  device ${current.deviceId}`,
      `server ${client.api.http.baseUrl}  profile ${dir}`,
      `identification: ${status.state}${status.deadlineAt ? ` (answer due by ${new Date(status.deadlineAt).toLocaleTimeString()})` : ''}`,
      status.hint,
      keyPackages ? `ready to message (${keyPackages.count} KeyPackages on the server)` : 'not ready to message yet',
    ].join('\n'),
  );
}

async function listen({ client }: Profile, o: ChatOptions & { once?: boolean; timeout?: string }): Promise<number> {
  const me = client.session.require();
  let output = Promise.resolve();
  const emit = (task: () => Promise<void>) => {
    output = output.then(task).catch((error) => printError(o, error));
  };
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  client.on('message', (m) =>
    emit(async () => {
      print(o, await messageJson(client, m), await messageLine(client, m));
      if (o.once) finish(0);
    }),
  );
  client.on('conversation', (c) =>
    emit(async () => {
      const name = await chatName(client, c.conversationId);
      print(
        o,
        { type: 'conversation', ...c, chat: name },
        `* ${name}: ${c.change}${describeMembers(c.added, c.removed)}`,
      );
    }),
  );
  client.on('keyChanged', (k) =>
    emit(async () => {
      const who = k.phoneNumber ?? k.accountId;
      print(
        o,
        { type: 'keyChanged', ...k },
        `! the safety number with ${who} changed: compare it again (signet safety-number ${who})`,
      );
    }),
  );
  client.on('identification', (e) =>
    emit(async () => print(o, { type: 'identification', ...e }, `* identification: ${e.state}`)),
  );
  client.on('error', (e) => emit(async () => printError(o, e.error)));
  client.on('connection', (c) => {
    if (!o.json && c.state !== 'open')
      process.stderr.write(`(connection ${c.state}${c.detail ? `: ${c.detail}` : ''})\n`);
  });
  process.once('SIGINT', () => finish(0));
  process.once('SIGTERM', () => finish(0));
  if (o.timeout) setTimeout(() => finish(2), Number(o.timeout) * 1000).unref();
  if (!o.json) process.stderr.write(`Listening as ${me.phoneNumber} (Ctrl-C to stop)…\n`);
  await client.start();
  const code = await finished;
  await output;
  return code;
}

function describeMembers(added: string[], removed: string[]): string {
  const parts = [];
  if (added.length > 0) parts.push(`+${added.length}`);
  if (removed.length > 0) parts.push(`-${removed.length}`);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

function isPhone(text: string): boolean {
  return /^\+?[0-9][0-9 ().-]{4,}$/.test(text);
}

async function accountOf(client: SignetClient, number: string): Promise<string> {
  return (await client.contacts.lookup(number)).accountId;
}

/** A chat by id, unique id prefix, title, or the number of a direct chat's other side. */
async function resolveChat(client: SignetClient, ref: string): Promise<string> {
  const list = await client.conversations.list();
  const exact = list.find((c) => c.conversationId === ref);
  if (exact) return exact.conversationId;
  if (isPhone(ref)) {
    const account = await accountOf(client, ref);
    const direct = list.find((c) => c.kind === 'direct' && c.peerAccountId === account && c.status === 'active');
    if (direct) return direct.conversationId;
    throw new SignetClientError(`no chat with ${ref} yet; "signet send ${ref} <text>" starts one`);
  }
  const matches = list.filter((c) => c.conversationId.startsWith(ref) || c.title?.toLowerCase() === ref.toLowerCase());
  if (matches.length === 1) return matches[0]!.conversationId;
  throw new SignetClientError(
    matches.length === 0 ? `no chat "${ref}" (see signet chats)` : `"${ref}" names several chats`,
  );
}

async function devCode(client: SignetClient, phoneNumber: string): Promise<string> {
  const { messages } = await client.api.devSms(phoneNumber);
  const code = messages.map((m) => /\b([0-9]{6})\b/.exec(m.text)?.[1]).find((c) => c !== undefined);
  if (!code) throw new SignetClientError(`no SMS code for ${phoneNumber} in the development sink`);
  return code;
}
