import { createLogger } from '@signet/common';
import { buildConfig, readEnv, SignetServer } from '@signet/server';
import type { Command } from 'commander';
import { runUntilSignal } from '../run';

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('Run Signet for development: the messenger on :8080 with SQLite under ./data and the SMS sink')
    .action(async () => {
      await runUntilSignal(async () => {
        const env = { SIGNET_ENV: 'development', SIGNET_SMS_PROVIDER: 'dev', ...readEnv() };
        const config = buildConfig(env);
        const logger = createLogger({ level: config.log.level, pretty: true });
        const server = await SignetServer.create(config, { logger });
        await server.listen();
        const base = `http://localhost:${config.port}`;
        process.stdout.write(
          [
            '',
            `  Signet is running at ${base}`,
            `  data:        ${config.database.url ? 'PostgreSQL' : config.database.sqlitePath}`,
            `  SMS codes:   printed below, and at ${base}/v1/dev/sms`,
            `  API:         ${base}/openapi.json`,
            '',
          ].join('\n'),
        );
        return [server];
      });
    });
}
