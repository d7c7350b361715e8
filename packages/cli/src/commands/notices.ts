import type { VerifiedNotice } from '@signet/client/node';
import type { Command } from 'commander';
import { common, withProfile } from './chat';
import { print } from './chat-output';
import type { ChatOptions } from './chat-profile';

interface NoticesOptions extends ChatOptions {
  mute?: boolean;
  unmute?: boolean;
  keepUnread?: boolean;
}

/** `signet notices`: the read-only "Official notices" conversation, each notice's signature checked here. */
export function registerNoticeCommands(program: Command): void {
  common(program.command('notices'))
    .description(
      'Print the official notices authorities sent to your number, with each signature checked, and mark them read',
    )
    .option('--mute', 'mute the notices (they still arrive, without alerting; they cannot be blocked)')
    .option('--unmute', 'unmute the notices')
    .option('--keep-unread', 'do not mark them read')
    .action((o: NoticesOptions) =>
      withProfile(o, 'offline', async ({ client }) => {
        const { notices } = client;
        if (o.mute || o.unmute) await notices.mute(Boolean(o.mute));
        const list = await notices.all();
        const newest = list[list.length - 1];
        if (newest && !o.keepUnread) await notices.markRead(newest.noticeId);
        const state = await notices.state();
        print(o, { notices: list, state }, () =>
          [
            `${notices.title} (read-only${state.muted ? ', muted' : ''})`,
            ...(list.length === 0 ? ['No notices.'] : list.map(noticeText)),
          ].join('\n'),
        );
        // A notice whose signature does not hold is not official: say so in the exit code too.
        return list.some((n) => !n.verified) ? 3 : 0;
      }),
    );
}

const MARKS: Record<VerifiedNotice['verification'], string> = {
  verified: 'signature verified',
  'bad-signature': 'SIGNATURE DOES NOT MATCH: altered or forged, not an official notice',
  'key-changed': 'NOT VERIFIED: the server now gives another key for this authority than the one seen before',
  unverifiable: 'NOT VERIFIED: this system cannot check Ed25519 signatures',
};

function noticeText(n: VerifiedNotice): string {
  const audience = 'all' in n.notice.audience ? 'all users' : `numbers ${n.notice.audience.prefixes.join(', ')}`;
  return [
    '',
    `#${n.noticeId}  ${new Date(n.sentAt).toLocaleString()}  from ${n.authority.name} (${n.authority.authorityId})`,
    `  [${MARKS[n.verification]}]  to ${audience}`,
    `  ${n.notice.title}`,
    ...n.notice.body.split('\n').map((line) => `    ${line}`),
  ].join('\n');
}
