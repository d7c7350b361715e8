import { createLogger } from '@signet/common';
import { buildConfig, readEnv, SignetServer } from '@signet/server';
import type { Command } from 'commander';
import { runUntilSignal } from '../run';

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Run the messenger server alone, configured by SIGNET_* variables (see README)')
    .action(async () => {
      await runUntilSignal(async () => {
        const config = buildConfig(readEnv());
        const logger = createLogger({ level: config.log.level });
        const server = await SignetServer.create(config, { logger });
        const address = await server.listen();
        logger.info(
          { address, env: config.env, database: config.database.url ? 'postgres' : 'sqlite' },
          'signet listening',
        );
        return [server];
      });
    });
}
