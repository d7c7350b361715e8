import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createLogger } from '@signet/common';
import {
  buildOperatorConfig,
  createOperator,
  type OperatorConfig,
  OperatorConfigError,
  type OperatorService,
  readOperatorEnv,
  seedDemoSubscribers,
} from '@signet/operator';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { fail, runUntilSignal } from '../run';

/**
 * `signet operator …`: the reference mobile-operator service and the tools its staff use. Every command
 * reads the same SIGNET_OPERATOR_* variables, so the tools act on the database the service runs on.
 */
export function registerOperatorCommands(program: Command): void {
  const operator = program
    .command('operator')
    .description('Run the reference mobile-operator identification service (SIGNET_OPERATOR_* variables)')
    .option('--seed-demo', 'add the demo subscribers (+7 900 …) before starting')
    .action(async (options: { seedDemo?: boolean }) => {
      await runUntilSignal(async () => {
        const config = loadConfig();
        const logger = createLogger({ level: config.log.level, pretty: Boolean(process.stdout.isTTY) });
        const service = await createOperator(config, { logger });
        if (options.seedDemo) await seedDemoSubscribers(service.subscribers);
        await service.listen();
        process.stdout.write(banner(config, service));
        return [service];
      });
    });

  const subscribers = operator.command('subscribers').description("Manage the operator's subscriber base");

  subscribers
    .command('import')
    .argument('<file>', 'CSV with a header: phoneNumber,status,identityComplete')
    .option('--batch <rows>', 'rows per transaction', '1000')
    .description('Import subscribers from a CSV file (streamed; contracts it ends send their notices)')
    .action((file: string, options: { batch: string }) =>
      withOperator(async (service) => {
        const summary = await importFile(service, file, Number(options.batch) || 1000);
        const { errors, ...counts } = summary;
        process.stdout.write(`${JSON.stringify(counts)}\n`);
        for (const e of errors) process.stderr.write(`line ${e.line}: ${e.message}\n`);
        if (summary.errorCount > errors.length) {
          process.stderr.write(`… and ${summary.errorCount - errors.length} more problems\n`);
        }
        if (summary.noticesQueued > 0) process.stdout.write(noticesHint(summary.noticesQueued));
        if (summary.errorCount > 0) process.exitCode = 1;
      }),
    );

  subscribers
    .command('add')
    .argument('<number>', 'E.164 number, e.g. +79001234567')
    .option('--data-missing', 'the contract lacks the identity data the law requires')
    .option('--reassign', 'give an active number to a new holder (notifies messengers: number_reassigned)')
    .description('Add a subscriber with an active contract')
    .action((phoneNumber: string, options: { dataMissing?: boolean; reassign?: boolean }) =>
      withOperator(async (service) => {
        const { outcome, notices } = await service.subscribers.add({
          phoneNumber,
          identityComplete: !options.dataMissing,
          reassign: Boolean(options.reassign),
        });
        process.stdout.write(`${phoneNumber}: ${outcome}\n`);
        if (notices.length > 0) process.stdout.write(noticesHint(notices.length));
      }),
    );

  subscribers
    .command('terminate')
    .argument('<number>', 'E.164 number')
    .option('--reassigned', 'the number goes to someone else (reason number_reassigned)')
    .description('End a contract; every messenger where the number is registered gets a notice')
    .action((phoneNumber: string, options: { reassigned?: boolean }) =>
      withOperator(async (service) => {
        const reason = options.reassigned ? 'number_reassigned' : 'contract_terminated';
        const { notices } = await service.subscribers.terminate(phoneNumber, reason);
        process.stdout.write(`${phoneNumber}: terminated (${reason})\n${noticesHint(notices.length)}`);
      }),
    );

  subscribers
    .command('port-out')
    .argument('<number>', 'E.164 number')
    .description('Record that a number moved to another operator (notices: ported_out)')
    .action((phoneNumber: string) =>
      withOperator(async (service) => {
        const { notices } = await service.subscribers.portOut(phoneNumber);
        process.stdout.write(`${phoneNumber}: ported out\n${noticesHint(notices.length)}`);
      }),
    );

  subscribers
    .command('seed-demo')
    .description('Add the demo subscribers, one per outcome a newcomer can meet')
    .action(() =>
      withOperator(async (service) => {
        const { added } = await seedDemoSubscribers(service.subscribers);
        process.stdout.write(`${added.length} demo subscribers added\n`);
      }),
    );

  operator
    .command('report')
    .option('--json', 'machine-readable JSON instead of Markdown')
    .description('Service levels: answer times against the target, termination-notice delays against 24 hours')
    .action((options: { json?: boolean }) =>
      withOperator(async (service) => {
        const out = options.json ? `${JSON.stringify(await service.report(), null, 2)}\n` : await service.reportText();
        process.stdout.write(out);
      }),
    );
}

/** Reads the configuration once; a bad one is the user's to fix, so it exits 2 with every problem listed. */
function loadConfig(): OperatorConfig {
  try {
    return buildOperatorConfig(readOperatorEnv());
  } catch (error) {
    if (error instanceof OperatorConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Opens the operator's database without serving, runs a tool, closes. The running service sends what it queued. */
async function withOperator(run: (service: OperatorService) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const service = await createOperator(config, { logger: createLogger({ level: 'warn', pretty: true }) }).catch(fail);
  try {
    await run(service);
  } catch (error) {
    await service.close();
    fail(error);
  }
  await service.close();
}

async function importFile(service: OperatorService, file: string, batchSize: number) {
  const total = statSync(file).size;
  const stream = createReadStream(file);
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
  });
  const bar = new cliProgress.SingleBar(
    { format: 'importing {bar} {percentage}% | {rows} rows | ETA {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rows: 0 });
  try {
    return await service.importSubscribers(createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }), {
      batchSize,
      onProgress: (rows) => bar.update(bytes, { rows }),
    });
  } finally {
    bar.update(total);
    bar.stop();
  }
}

function noticesHint(count: number): string {
  if (count === 0) return 'no messenger had the number registered; no notice\n';
  return `${count} termination notice(s) queued; the running operator service delivers them (signet operator)\n`;
}

function banner(config: OperatorConfig, service: OperatorService): string {
  return [
    '',
    `  Operator ${config.operatorId} is running at ${service.url}`,
    `  data:        ${config.database.url ? 'PostgreSQL' : config.database.sqlitePath}`,
    `  messengers:  ${config.messengers.map((m) => m.messengerId).join(', ') || 'none (set SIGNET_OPERATOR_MESSENGERS_FILE)'}`,
    `  admin API:   ${config.adminTokenHash ? `${service.url}/admin/v1` : 'off (set SIGNET_OPERATOR_ADMIN_TOKEN)'}`,
    `  answer delay ${config.answer.delayMs} ms`,
    '',
    '',
  ].join('\n');
}
