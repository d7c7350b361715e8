import { Command } from 'commander';
import { registerAuditCommands } from './commands/audit';
import { registerAuthorityCommands } from './commands/authority';
import { registerChannelCommands } from './commands/channel';
import { registerChatCommands } from './commands/chat';
import { registerDevCommand } from './commands/dev';
import { registerIdentifyCommands } from './commands/identify';
import { registerNoticeCommands } from './commands/notices';
import { registerOperatorCommands } from './commands/operator';
import { registerOperatorsCommands } from './commands/operators';
import { registerReportCommands } from './commands/report';
import { registerServerCommand } from './commands/server';

const program = new Command()
  .name('signet')
  .description('Signet: a messenger whose accounts are identified through their mobile operator, end-to-end encrypted')
  .version('0.1.0')
  .showHelpAfterError();

registerServerCommand(program);
registerDevCommand(program);
registerOperatorCommands(program);
registerOperatorsCommands(program);
registerIdentifyCommands(program);
registerChatCommands(program);
registerChannelCommands(program);
registerNoticeCommands(program);
registerAuthorityCommands(program);
registerAuditCommands(program);
registerReportCommands(program);

await program.parseAsync(process.argv);
