import type { Mailing } from '@signet/protocol';
import type { Command } from 'commander';
import { print } from '../admin-db';
import { type AuthorityKeyOptions, asAuthority, withKey } from './authority-key';

interface MailOptions extends AuthorityKeyOptions {
  title: string;
  body: string;
  prefix: string[];
}

/**
 * `signet authority mail|mailings|withdraw`: official mass mailings, as the authority itself, over the signed
 * authority API with its credential file (not through the server's database, as the administrator commands are).
 */
export function registerMailingCommands(authority: Command): void {
  withKey(authority.command('mail'))
    .description(
      'Sign an official notice with the authority key and send it to every identified user, or to the numbers of some prefixes',
    )
    .requiredOption('--title <text>', 'the title (1 to 200 characters)')
    .requiredOption('--body <text>', 'the text (1 to 4000 characters)')
    .option(
      '--prefix <prefix>',
      'reach only numbers that start with this E.164 prefix, e.g. +7900 (repeat for several; default: everyone)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .action((o: MailOptions) =>
      asAuthority(o, async (client) => {
        const sent = await client.sendMailing({
          title: o.title,
          body: o.body,
          audience: o.prefix.length > 0 ? { prefixes: o.prefix } : { all: true },
        });
        if (o.json) return print(JSON.stringify({ mailing: sent }));
        print(
          `${sent.duplicate ? 'Already sent' : 'Sent'} notice #${sent.mailingId} to ${audienceText(sent)}: ` +
            `${sent.counts.audience} identified account${sent.counts.audience === 1 ? '' : 's'} now.`,
        );
      }),
    );

  withKey(authority.command('mailings'))
    .description("List the authority's mailings, newest first, with how many accounts received and read each")
    .option('--limit <n>', 'how many', '20')
    .action((o: AuthorityKeyOptions & { limit: string }) =>
      asAuthority(o, async (client) => {
        const { mailings } = await client.mailings({ limit: Number(o.limit) });
        if (o.json) return print(JSON.stringify({ mailings }));
        if (mailings.length === 0) return print('No mailings yet. Send one with `signet authority mail`.');
        for (const m of mailings) print(mailingLine(m));
      }),
    );

  withKey(authority.command('withdraw'))
    .description('Withdraw a mailing: it leaves every account’s notices (audited)')
    .argument('<id>', 'the mailing number')
    .action((id: string, o: AuthorityKeyOptions) =>
      asAuthority(o, async (client) => {
        const m = await client.withdrawMailing(Number(id));
        if (o.json) return print(JSON.stringify({ mailing: m }));
        print(mailingLine(m));
      }),
    );
}

function audienceText(m: Mailing): string {
  const { audience } = m.notice;
  return 'all' in audience ? 'all identified users' : `numbers starting ${audience.prefixes.join(', ')}`;
}

function mailingLine(m: Mailing): string {
  const status = m.status === 'withdrawn' ? ` [withdrawn ${new Date(m.withdrawnAt ?? 0).toISOString()}]` : '';
  const { audience, delivered, read } = m.counts;
  return (
    `#${m.mailingId}  ${new Date(m.sentAt).toISOString()}  "${m.notice.title}" to ${audienceText(m)}${status}  ` +
    `audience ${audience}, delivered ${delivered}, read ${read}`
  );
}
