export type { AuthenticatedDevice } from './accounts/account-manager';
export { newAccountRow } from './accounts/new-account';
export { DevSmsSink } from './adapters/sms/dev-sink';
export type { SmsGateway, SmsMessage } from './adapters/sms/gateway';
export { SmsFinalError, SmsRetryableError } from './adapters/sms/gateway';
export { type AuditActor, type AuditEntry, AuditLog, type AuditVerification } from './audit/audit-log';
export { parsePeriod, type TransparencyReport, transparencyMarkdown, transparencyReport } from './audit/transparency';
export {
  AuthorityAdmin,
  type AuthorityInfo,
  AuthorityNotFoundError,
  type CreatedAuthority,
} from './authority/authority-admin';
export { parseRoles } from './authority/roles';
export type { OperatorConfig } from './config/config';
export { buildConfig, type ServerConfig } from './config/config';
export { readEnv } from './config/env';
export { ConfigError } from './config/reader';
export { AppContext, type ContextOverrides } from './context';
export { migrations, type Schema, type ServerDatabase } from './db';
export * from './identification/directory';
export { SignetServer } from './server';
export { normalisePhone } from './verification/phone';
