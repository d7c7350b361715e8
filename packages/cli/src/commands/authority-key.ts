import { readFileSync } from 'node:fs';
import { AuthorityClient, type AuthorityCredential, AuthoritySigner } from '@signet/client/authority';
import type { Command } from 'commander';
import { fail } from '../run';
import { DEFAULT_SERVER } from './chat-profile';

/** The options of every command an authority runs itself, with its credential file. */
export interface AuthorityKeyOptions {
  key: string;
  server?: string;
  json?: boolean;
}

/** Adds the credential file, the server and `--json` to a command the authority runs itself. */
export function withKey(command: Command): Command {
  return command
    .requiredOption('--key <file>', 'the authority credential file that `signet authority create --key-out` wrote')
    .option('--server <url>', `the messenger (default SIGNET_SERVER or ${DEFAULT_SERVER})`)
    .option('--json', 'print JSON');
}

/** Runs `task` with a client that signs as the authority of the credential file; a failure ends the command. */
export async function asAuthority(
  o: AuthorityKeyOptions,
  task: (client: AuthorityClient) => Promise<void>,
): Promise<void> {
  try {
    let credential: AuthorityCredential;
    try {
      credential = JSON.parse(readFileSync(o.key, 'utf8')) as AuthorityCredential;
    } catch (error) {
      throw new Error(`cannot read the credential file ${o.key}: ${(error as Error).message}`);
    }
    if (credential.type !== 'signet-authority-credential' || !credential.authorityId || !credential.privateKey) {
      throw new Error(`${o.key} is not an authority credential file`);
    }
    const signer = await AuthoritySigner.fromCredential(credential);
    const baseUrl = o.server ?? process.env.SIGNET_SERVER ?? DEFAULT_SERVER;
    await task(new AuthorityClient({ baseUrl, signer }));
  } catch (error) {
    fail(error);
  }
}
