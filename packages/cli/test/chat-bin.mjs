#!/usr/bin/env node
// Until main.ts registers the chat commands, the smoke test runs them through this entry (as bin/signet.mjs would).
import { register } from 'tsx/esm/api';

register();
const { Command } = await import('commander');
const { registerChatCommands } = await import('../src/commands/chat.ts');
const program = new Command().name('signet').showHelpAfterError();
registerChatCommands(program);
await program.parseAsync(process.argv);
