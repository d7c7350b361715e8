import { rmSync, writeFileSync } from 'node:fs';
import type { AuthorityCredential } from '@signet/client/authority';
import { type AuthorityInfo, parseRoles } from '@signet/server';
import type { Command } from 'commander';
import { administratorName, print, withAdminContext } from '../admin-db';
import { registerMailingCommands } from './authority-mail';
import { registerOrderCommands } from './authority-order';

interface CreateOptions {
  name: string;
  roles: string;
  keyOut?: string;
  admin?: string;
  json?: boolean;
}

export function registerAuthorityCommands(program: Command): void {
  const authority = program
    .command('authority')
    .description('Authorities: principals with their own Ed25519 keys and roles, never user accounts (audited)');

  authority
    .command('create')
    .description(
      'Create an authority: a key pair is made, the server keeps the public key, the private key is shown once',
    )
    .requiredOption('--name <name>', 'the authority, as it will be named in the audit log and reports')
    .requiredOption('--roles <roles>', 'comma-separated: restriction, mailing, data-request')
    .option('--key-out <file>', 'write the credential (with the private key) to this new file, readable by you only')
    .option('--admin <name>', 'the administrator, as the audit log names them (default: your user name)')
    .option('--json', 'print JSON')
    .action((options: CreateOptions) =>
      withAdminContext(async ({ authorities }) => {
        const roles = parseRoles(options.roles);
        // The file is taken before the authority exists, so that a key is never made with nowhere to go.
        if (options.keyOut) reserve(options.keyOut);
        const created = await authorities
          .create({ name: options.name, roles, by: administratorName(options.admin) })
          .catch((error: unknown) => {
            if (options.keyOut) rmSync(options.keyOut, { force: true });
            throw error;
          });
        const credential: AuthorityCredential = {
          type: 'signet-authority-credential',
          version: 1,
          authorityId: created.authority.id,
          name: created.authority.name,
          roles: created.authority.roles,
          privateKey: created.privateKey,
          publicKey: created.authority.publicKey,
        };
        const text = `${JSON.stringify(credential, null, 2)}\n`;
        if (options.keyOut) {
          writeFileSync(options.keyOut, text, { mode: 0o600 });
          if (options.json) print(JSON.stringify({ authority: created.authority, keyFile: options.keyOut }));
          else {
            print(`Created authority ${created.authority.id} (${created.authority.name}): ${roles.join(', ')}`);
            print(`Its credential, with the private key, is in ${options.keyOut}; the server does not keep it.`);
          }
          return;
        }
        if (options.json) print(JSON.stringify({ authority: created.authority, credential }));
        else {
          process.stderr.write(
            `Created authority ${created.authority.id} (${created.authority.name}): ${roles.join(', ')}\n` +
              'Below is its credential with the private key. It is shown this once and the server does not keep it:\n' +
              'hand it to the authority over a secure channel.\n',
          );
          process.stdout.write(text);
        }
      }),
    );

  authority
    .command('list')
    .description('List authorities, their roles and whether they are enabled')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withAdminContext(async ({ authorities }) => {
        const list = await authorities.list();
        if (options.json) return print(JSON.stringify({ authorities: list }));
        if (list.length === 0) return print('No authorities. Create one with `signet authority create`.');
        for (const a of list) print(describe(a));
      }),
    );

  authority
    .command('disable')
    .description('Disable an authority for good: its signed requests are refused from now on')
    .argument('<id>', 'the authority id (auth_…)')
    .option('--admin <name>', 'the administrator, as the audit log names them (default: your user name)')
    .option('--json', 'print JSON')
    .action((id: string, options: { admin?: string; json?: boolean }) =>
      withAdminContext(async ({ authorities }) => {
        const info = await authorities.disable(id, administratorName(options.admin));
        if (options.json) print(JSON.stringify({ authority: info }));
        else print(describe(info));
      }),
    );

  registerMailingCommands(authority);
  registerOrderCommands(authority);
}

function describe(a: AuthorityInfo): string {
  const state =
    a.disabledAt === null ? 'enabled' : `disabled ${new Date(a.disabledAt).toISOString()} by ${a.disabledBy}`;
  return `${a.id}  ${a.name}  [${a.roles.join(', ')}]  ${state}  (created ${new Date(a.createdAt).toISOString()} by ${a.createdBy})`;
}

/** Creates the file, empty and readable by its owner only; refuses one that exists. */
function reserve(file: string): void {
  try {
    writeFileSync(file, '', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new Error(
      code === 'EEXIST'
        ? `${file} exists already; choose another file`
        : `cannot write ${file}: ${(error as Error).message}`,
    );
  }
}
