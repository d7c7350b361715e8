import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock } from '@signet/common';
import { parsePeriod, transparencyMarkdown, transparencyReport } from '@signet/server';
import type { Command } from 'commander';
import { print, withAdminContext } from '../admin-db';

interface TransparencyOptions {
  from: string;
  to: string;
  out: string;
  json?: boolean;
}

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('Reports for publication');

  report
    .command('transparency')
    .description(
      'Write the transparency report of a period as JSON and Markdown: data requests, identification outcomes, termination notices, restriction orders and mailings, counted from the audit log',
    )
    .requiredOption('--from <date>', 'first day (2026-01-01, UTC) or an instant (2026-01-01T00:00:00Z)')
    .requiredOption('--to <date>', 'last day, included (2026-03-31), or an instant, excluded')
    .option('--out <dir>', 'where to write the two files', '.')
    .option('--json', 'print the paths of the files as JSON')
    .action((options: TransparencyOptions) =>
      withAdminContext(async ({ audit }) => {
        const { from, to } = parsePeriod(options.from, options.to);
        const result = await transparencyReport(audit, from, to, systemClock.now());
        const dir = resolve(options.out);
        mkdirSync(dir, { recursive: true });
        const name = `transparency-${day(from)}-to-${day(to - 1)}`;
        const json = join(dir, `${name}.json`);
        const markdown = join(dir, `${name}.md`);
        writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
        writeFileSync(markdown, transparencyMarkdown(result));
        if (options.json) print(JSON.stringify({ json, markdown }));
        else {
          print(
            `Transparency report of ${result.period.from} to ${result.period.to} (${result.audit.entries} audit entries):`,
          );
          print(`  ${json}`);
          print(`  ${markdown}`);
        }
      }),
    );
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
