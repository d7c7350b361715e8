import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { print, withAdminContext } from '../admin-db';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The append-only, hash-chained audit log');

  audit
    .command('verify')
    .description(
      'Check the whole chain: numbering, every hash, every link, and the head; name the first entry where it breaks',
    )
    .option('--json', 'print the result as JSON')
    .action((options: { json?: boolean }) =>
      withAdminContext(async ({ audit: log }) => {
        const bar = new cliProgress.SingleBar(
          {
            format: 'verifying {bar} {value}/{total} entries | ETA {eta_formatted}',
            stream: process.stderr,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        const result = await log.verify((checked, total) => {
          // A bar only for chains long enough to wait for.
          if (!started && total > 5000) {
            bar.start(total, 0);
            started = true;
          }
          if (started) bar.update(checked);
        });
        if (started) bar.stop();
        if (options.json) print(JSON.stringify(result));
        else if (result.ok) {
          print(
            `The audit log is intact: ${result.checked} entries, the last is ${result.head.seq} (${result.head.hash}).`,
          );
        } else {
          print(
            `The audit log is BROKEN at entry ${result.break?.seq} (${result.break?.reason}): ${result.break?.message}.`,
          );
          print(`${result.checked} ${result.checked === 1 ? 'entry' : 'entries'} before it intact.`);
        }
        if (!result.ok) process.exitCode = 1;
      }),
    );
}
