import { statSync } from 'node:fs';
import { Database } from '@signet/common';
import {
  buildConfig,
  type ImportProgress,
  type ImportSummary,
  importPlan,
  importPorted,
  migrations,
  normalisePhone,
  OperatorDirectory,
  type PlanFormat,
  type PlanImportSummary,
  readEnv,
  type Schema,
  type ServerConfig,
} from '@signet/server';
import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { fail } from '../run';

interface JsonOption {
  json?: boolean;
}

export function registerOperatorsCommands(program: Command): void {
  const operators = program
    .command('operators')
    .description('The operator directory: configured operators, numbering plan and ported numbers');

  operators
    .command('list')
    .description('List the configured operators (SIGNET_OPERATORS or SIGNET_OPERATORS_FILE); secrets are not shown')
    .option('--json', 'print JSON')
    .action((options: JsonOption) =>
      run(async ({ config, directory }) => {
        const list = directory.all().map((o) => ({
          id: o.id,
          name: o.name,
          baseUrl: o.baseUrl,
          secrets: o.secrets.length,
          aliases: o.aliases,
        }));
        if (options.json)
          return print(JSON.stringify({ operators: list, ambiguousAliases: directory.ambiguousAliases }));
        if (list.length === 0)
          return print(`No operators configured for messenger ${config.identification.messengerId}.`);
        for (const o of list) {
          print(`${o.id}  ${o.name}  ${o.baseUrl}  (${o.secrets} secret${o.secrets === 1 ? '' : 's'})`);
          if (o.aliases.length > 0) print(`    aliases: ${o.aliases.join(' | ')}`);
        }
        for (const alias of directory.ambiguousAliases) {
          process.stderr.write(`warning: the alias "${alias}" names more than one operator and is ignored\n`);
        }
      }),
    );

  operators
    .command('import-plan')
    .description('Replace the numbering plan from the Russian registry CSV or a prefix,operatorId CSV')
    .argument('<file>', 'the CSV file')
    .addOption(
      new Option('--format <format>', 'the file format (detected from the header by default)').choices([
        'registry',
        'prefixes',
      ]),
    )
    .option('--json', 'print the summary as JSON')
    .action((file: string, options: JsonOption & { format?: PlanFormat }) =>
      run(async ({ db, directory }) => {
        const summary = await withProgress(file, options, (onProgress) =>
          importPlan(db, directory, file, { format: options.format, onProgress }),
        );
        report(summary, options);
        if (!summary.replaced) {
          process.stderr.write('No row could be imported: the previous numbering plan was kept.\n');
          process.exitCode = 1;
        }
      }),
    );

  operators
    .command('import-ported')
    .description('Merge a ported numbers export (Number,OwnerId,MNC,Route,RegionCode,PortDate,RowCount)')
    .argument('<file>', 'the CSV file')
    .option('--json', 'print the summary as JSON')
    .action((file: string, options: JsonOption) =>
      run(async ({ db, directory }) => {
        const summary = await withProgress(file, options, (onProgress) =>
          importPorted(db, directory, file, { onProgress }),
        );
        report(summary, options);
      }),
    );

  operators
    .command('lookup')
    .description('Show which operator identifies a number, and where that comes from')
    .argument('<number>', 'the phone number, in E.164 (+79001234567) or as written in the default region')
    .option('--json', 'print JSON')
    .action((input: string, options: JsonOption) =>
      run(async ({ config, directory }) => {
        const e164 = toE164(input, config);
        const route = await directory.route(e164);
        const operator = route && directory.operator(route.operatorId);
        if (options.json) {
          print(
            JSON.stringify({
              number: e164,
              source: route?.source ?? null,
              operatorId: route?.operatorId ?? null,
              configured: !!operator,
            }),
          );
        } else if (!route) {
          print(`${e164}: no operator in the portability table or the numbering plan (NO_OPERATOR)`);
        } else {
          const from = {
            ported: 'the portability table',
            range: 'a numbering-plan range',
            prefix: 'a numbering-plan prefix',
          }[route.source];
          print(
            operator
              ? `${e164}: ${operator.id} (${operator.name}), from ${from}`
              : `${e164}: ${route.operatorId}, from ${from}, which is not a configured operator (NO_OPERATOR)`,
          );
        }
        if (!operator) process.exitCode = 1;
      }),
    );
}

interface Context {
  config: ServerConfig;
  db: Database<Schema>;
  directory: OperatorDirectory;
}

/** Builds the configuration and opens the migrated database the server uses, runs `fn`, and closes. */
async function run(fn: (ctx: Context) => Promise<void>): Promise<void> {
  let db: Database<Schema> | undefined;
  try {
    const config = buildConfig(readEnv());
    db = Database.open<Schema>({ url: config.database.url, sqlitePath: config.database.sqlitePath });
    await db.migrate(migrations);
    await fn({ config, db, directory: new OperatorDirectory(db, config.identification.operators) });
    await db.close();
  } catch (error) {
    await db?.close().catch(() => {});
    fail(error);
  }
}

/** Runs an import with a progress bar over the file's bytes, on stderr when it is a terminal. */
async function withProgress<T extends ImportSummary>(
  file: string,
  options: JsonOption,
  importer: (onProgress: ImportProgress) => Promise<T>,
): Promise<T> {
  const total = statSync(file).size;
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {percentage}% | {done}/{size} MiB | {rows} rows | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  bar.start(total, 0, { done: mib(0), size: mib(total), rows: 0 });
  try {
    const summary = await importer((bytes, rows) =>
      bar.update(bytes, { done: mib(bytes), rows: rows.toLocaleString('en') }),
    );
    bar.update(total, { done: mib(total) });
    bar.stop();
    if (!options.json) process.stderr.write(`took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return summary;
  } finally {
    bar.stop();
  }
}

function report(summary: ImportSummary | PlanImportSummary, options: JsonOption): void {
  if (options.json) {
    print(JSON.stringify(summary));
    return;
  }
  const n = (x: number) => x.toLocaleString('en');
  const { skipped } = summary;
  const what = { ranges: 'numbering plan (ranges)', prefixes: 'numbering plan (prefixes)', ported: 'ported numbers' }[
    summary.kind
  ];
  print(`${what}:`);
  print(`  rows read          ${n(summary.rowsRead)}`);
  print(`  imported           ${n(summary.imported)}`);
  if ('stored' in summary) print(`  in the plan now    ${summary.replaced ? n(summary.stored) : 'unchanged'}`);
  print(`  unknown operator   ${n(skipped.unknownOperatorRows)}`);
  const unknown = Object.entries(skipped.unknownOperator).sort((a, b) => b[1] - a[1]);
  for (const [name, count] of unknown.slice(0, 20)) print(`    ${n(count).padStart(10)}  ${name}`);
  if (unknown.length > 20) print(`    … and ${unknown.length - 20} more names (--json lists them all)`);
  const malformed = skipped.malformed;
  const lines = malformed.firstLines.join(', ') + (malformed.count > malformed.firstLines.length ? ', …' : '');
  print(`  malformed lines    ${n(malformed.count)}${malformed.count > 0 ? ` (lines ${lines})` : ''}`);
}

/** E.164 as typed, or parsed the way registration parses numbers (default region, national formats). */
function toE164(input: string, config: ServerConfig): string {
  const compact = input.replace(/[\s().-]/g, '');
  if (/^\+[1-9][0-9]{1,14}$/.test(compact)) return compact;
  return normalisePhone(input, { ...config.phone, allowedCountries: [], allowedPrefixes: [] }).e164;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
