import type { AccountEventsTable } from './account-events';
import type { AccountsTable } from './accounts';
import type { DevicesTable } from './devices';
import type { PasswordFailuresTable, PasswordLoginsTable } from './password-logins';
import type { ServerKeysTable } from './server-keys';
import type { VerificationSessionsTable } from './verification-sessions';

export interface Schema {
  accounts: AccountsTable;
  devices: DevicesTable;
  verification_sessions: VerificationSessionsTable;
  password_logins: PasswordLoginsTable;
  password_failures: PasswordFailuresTable;
  server_keys: ServerKeysTable;
  account_events: AccountEventsTable;
}
