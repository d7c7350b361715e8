import { randomBytes } from 'node:crypto';
import { createLogger, type Logger, newSecret } from '@signet/common';
import {
  buildOperatorConfig,
  createOperator,
  DEMO_SUBSCRIBERS,
  readOperatorEnv,
  seedDemoSubscribers,
} from '@signet/operator';
import { buildConfig, readEnv, SignetServer } from '@signet/server';
import { buildWeb, webBuildState } from '@signet/web/build';
import type { Command } from 'commander';
import { runUntilSignal } from '../run';

const MESSENGER_ID = 'signet-dev';
const OPERATOR_ID = 'demo-operator';
/** The demo operator serves +7 900; other numbers have no operator. */
const SERVED_PREFIX = '+7900';
/** A number the demo operator never answers, to show the 20-minute deadline. */
const SILENT_NUMBER = '+79001000007';
/** A valid number that no configured operator serves. */
const UNSERVED_NUMBER = '+79991234567';

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description(
      'Run Signet for development: the messenger on :8080 (SQLite under ./data, SMS sink) and a demo operator on :8090',
    )
    .action(async () => {
      await runUntilSignal(async () => {
        const secret = newSecret(randomBytes(32));
        const env = {
          SIGNET_ENV: 'development',
          SIGNET_SMS_PROVIDER: 'dev',
          SIGNET_MESSENGER_ID: MESSENGER_ID,
          ...readEnv(),
        };
        const config = buildConfig(env);
        const operatorConfig = buildOperatorConfig(readOperatorEnv());
        const operatorUrl = `http://127.0.0.1:${operatorConfig.port}`;
        config.identification.operators = [
          { id: OPERATOR_ID, name: 'Demo Operator', baseUrl: operatorUrl, secrets: [secret], aliases: [] },
          ...config.identification.operators,
        ];
        operatorConfig.operatorId = OPERATOR_ID;
        operatorConfig.messengers = [
          {
            messengerId: config.identification.messengerId,
            eventsUrl: `http://127.0.0.1:${config.port}/operator/v1/events`,
            secrets: [secret],
          },
        ];
        operatorConfig.answer.silentNumbers = [...operatorConfig.answer.silentNumbers, SILENT_NUMBER];

        const logger = createLogger({ level: config.log.level, pretty: true });
        await buildWebIfStale(logger.child({ module: 'web-build' }));
        const server = await SignetServer.create(config, { logger });
        await server.ctx.db.db
          .insertInto('number_prefixes')
          .values({ prefix: SERVED_PREFIX, operator_id: OPERATOR_ID })
          .onConflict((oc) => oc.column('prefix').doUpdateSet({ operator_id: OPERATOR_ID }))
          .execute();
        const operator = await createOperator(operatorConfig, {
          logger: createLogger({ level: operatorConfig.log.level, pretty: true }).child({ service: 'operator' }),
        });
        await seedDemoSubscribers(operator.subscribers);
        await operator.listen();
        await server.listen();
        process.stdout.write(
          banner(config.port, operatorUrl, config.database.url ? 'PostgreSQL' : config.database.sqlitePath),
        );
        return [operator, server];
      });
    });
}

/** Builds packages/web into its dist/ (which the server serves at /) when dist is missing or older than its sources. */
async function buildWebIfStale(log: Logger): Promise<void> {
  const state = webBuildState();
  if (state === 'fresh') return;
  log.info(state === 'missing' ? 'building the web app (packages/web/dist)…' : 'web app sources changed: rebuilding…');
  const started = Date.now();
  try {
    await buildWeb();
    log.info(`web app built in ${((Date.now() - started) / 1000).toFixed(1)}s; served at /`);
  } catch (error) {
    // The API works without the web app: say why it is missing and go on.
    log.warn({ err: error }, 'could not build the web app; the server runs without it (try `npm run build:web`)');
  }
}

function banner(port: number, operatorUrl: string, data: string): string {
  const base = `http://localhost:${port}`;
  const rows = [
    ...DEMO_SUBSCRIBERS.map((d) => {
      const outcome = d.outcome.result === 'confirmed' ? 'confirmed' : `denied (${d.outcome.reasonCode})`;
      return `    ${d.phoneNumber}  ${outcome.padEnd(34)} ${d.note}`;
    }),
    `    ${SILENT_NUMBER}  ${'no answer (DEADLINE_EXCEEDED)'.padEnd(34)} the operator never answers; fails after the deadline`,
    `    ${UNSERVED_NUMBER}  ${'failed (NO_OPERATOR)'.padEnd(34)} no configured operator serves +7 999`,
  ];
  return [
    '',
    `  Signet is running at ${base}`,
    `  demo operator:  ${operatorUrl} (serves ${SERVED_PREFIX}…)`,
    `  data:           ${data}`,
    `  SMS codes:      printed below, and at ${base}/v1/dev/sms`,
    `  API:            ${base}/openapi.json`,
    '',
    '  Demo numbers and what the operator will answer:',
    ...rows,
    '',
    '',
  ].join('\n');
}
