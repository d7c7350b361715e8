import type { Channel, ChannelPost, FollowedChannel } from '@signet/protocol';
import type { Command } from 'commander';
import { common, withProfile } from './chat';
import { print } from './chat-output';
import type { ChatOptions } from './chat-profile';

const PUBLIC_NOTE = 'public: anyone signed in reads it; posts are not end-to-end encrypted';

/** `signet channel create|follow|unfollow|post|read|list`: public channels, through the SDK. */
export function registerChannelCommands(program: Command): void {
  const channel = program
    .command('channel')
    .description('Public channels: one-to-many, readable by anyone signed in, NOT end-to-end encrypted');

  common(channel.command('create'))
    .description('Create a public channel that you own (and follow)')
    .argument('<handle>', 'its unique handle, e.g. @town_news')
    .argument('<name...>', 'its name')
    .option('--description <text>', 'what it is about')
    .action((handle: string, name: string[], o: ChatOptions & { description?: string }) =>
      withProfile(o, 'offline', async ({ client }) => {
        const created = await client.channels.create({
          handle,
          name: name.join(' '),
          ...(o.description ? { description: o.description } : {}),
        });
        print(o, { created }, `created ${created.handle} "${created.name}" (${PUBLIC_NOTE})`);
      }),
    );

  for (const verb of ['follow', 'unfollow'] as const) {
    common(channel.command(verb))
      .description(verb === 'follow' ? 'Follow a channel: its posts arrive live' : 'Stop following a channel')
      .argument('<channel>', '@handle or channel id')
      .action((ref: string, o: ChatOptions) =>
        withProfile(o, 'offline', async ({ client }) => {
          if (verb === 'follow') await client.channels.follow(ref);
          else await client.channels.unfollow(ref);
          print(o, { [verb === 'follow' ? 'followed' : 'unfollowed']: ref }, `${verb}ed ${ref}`);
        }),
      );
  }

  common(channel.command('post'))
    .description('Post to a channel you own (stored on the server in the clear)')
    .argument('<channel>', '@handle or channel id')
    .argument('<text...>', 'the post')
    .action((ref: string, words: string[], o: ChatOptions) =>
      withProfile(o, 'offline', async ({ client }) => {
        const post = await client.channels.post(ref, words.join(' '));
        print(o, { post }, `posted to ${ref} (#${post.postId})`);
      }),
    );

  common(channel.command('read'))
    .description("Print a channel's newest posts (oldest of them first) and mark them read")
    .argument('<channel>', '@handle or channel id')
    .option('--limit <n>', 'how many posts', '20')
    .option('--before <cursor>', 'older posts: the cursor a previous read printed')
    .action((ref: string, o: ChatOptions & { limit: string; before?: string }) =>
      withProfile(o, 'offline', async ({ client }) => {
        const info = await client.channels.get(ref);
        const page = await client.channels.posts(ref, {
          limit: Number(o.limit),
          ...(o.before ? { before: o.before } : {}),
        });
        const newest = page.posts[0];
        if (info.following && newest) await client.channels.markRead(ref, newest.postId);
        const posts = [...page.posts].reverse();
        print(o, { channel: info, posts, nextCursor: page.nextCursor }, () =>
          [
            `${info.handle} "${info.name}" (${PUBLIC_NOTE})`,
            ...(posts.length === 0 ? ['No posts.'] : posts.map((p) => postLine(info, p))),
            ...(page.nextCursor ? [`older: signet channel read ${ref} --before ${page.nextCursor}`] : []),
          ].join('\n'),
        );
      }),
    );

  common(channel.command('list'))
    .description('List the channels you follow with unread counts, or find channels with --search')
    .option('--search <text>', 'find channels whose handle or name contains this')
    .action((o: ChatOptions & { search?: string }) =>
      withProfile(o, 'offline', async ({ client }) => {
        if (o.search !== undefined) {
          const found = await client.channels.search(o.search);
          print(o, { channels: found }, () =>
            found.length === 0 ? 'No channel found.' : found.map((c) => channelLine(c)).join('\n'),
          );
          return;
        }
        const followed = await client.channels.followed();
        print(o, { channels: followed }, () =>
          followed.length === 0
            ? 'You follow no channel. Find one: signet channel list --search <text>'
            : followed.map((c) => channelLine(c)).join('\n'),
        );
      }),
    );
}

function channelLine(c: Channel | FollowedChannel): string {
  const unread = 'unread' in c && c.unread > 0 ? `  ${c.unread >= 1000 ? '1000+' : c.unread} unread` : '';
  const marks = [c.owned ? 'owner' : '', c.status === 'restricted' ? 'restricted' : ''].filter(Boolean).join(', ');
  return `${c.handle}  "${c.name}"  ${c.followers} follower${c.followers === 1 ? '' : 's'}${marks ? ` [${marks}]` : ''}${unread}`;
}

function postLine(c: Channel, p: ChannelPost): string {
  const status = p.status === 'restricted' ? ' [restricted by an authority’s order]' : '';
  return `[${new Date(p.createdAt).toLocaleString()}] ${c.handle} #${p.postId}${status}: ${p.text}`;
}
