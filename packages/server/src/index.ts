export type { AuthenticatedDevice } from './accounts/account-manager';
export { DevSmsSink } from './adapters/sms/dev-sink';
export type { SmsGateway, SmsMessage } from './adapters/sms/gateway';
export { SmsFinalError, SmsRetryableError } from './adapters/sms/gateway';
export { buildConfig, type ServerConfig } from './config/config';
export { readEnv } from './config/env';
export { ConfigError } from './config/reader';
export { AppContext, type ContextOverrides } from './context';
export { SignetServer } from './server';
