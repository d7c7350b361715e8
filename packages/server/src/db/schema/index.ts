import type { AccountEventsTable } from './account-events';
import type { AccountsTable } from './accounts';
import type { AuditHeadTable, AuditLogTable } from './audit';
import type { AuthoritiesTable, AuthorityNoncesTable, DataRequestsTable } from './authorities';
import type { ChannelFollowsTable, ChannelPostsTable, ChannelsTable } from './channels';
import type { DevicesTable } from './devices';
import type {
  BackfillJobsTable,
  IdentificationBatchesTable,
  IdentificationRequestsTable,
  NumberPrefixesTable,
  NumberRangesTable,
  OperatorEventIdsTable,
  OperatorSyncTable,
  PortedNumbersTable,
  TerminationNoticesTable,
} from './identification';
import type { MailingsTable, NoticeStatesTable } from './mailings';
import type {
  AttachmentsTable,
  BlocksTable,
  ConversationMembersTable,
  ConversationsTable,
  DeviceCredentialsTable,
  GroupLeavesTable,
  InboxHeadsTable,
  InboxTable,
  KeyPackagesTable,
  MessagesTable,
  PendingRemovalsTable,
  SendReceiptsTable,
} from './messaging';
import type { PasswordFailuresTable, PasswordLoginsTable } from './password-logins';
import type { RestrictionNoticesTable, RestrictionOrdersTable } from './restrictions';
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
  number_ranges: NumberRangesTable;
  number_prefixes: NumberPrefixesTable;
  ported_numbers: PortedNumbersTable;
  identification_requests: IdentificationRequestsTable;
  identification_batches: IdentificationBatchesTable;
  operator_event_ids: OperatorEventIdsTable;
  termination_notices: TerminationNoticesTable;
  operator_sync: OperatorSyncTable;
  backfill_jobs: BackfillJobsTable;
  device_credentials: DeviceCredentialsTable;
  key_packages: KeyPackagesTable;
  conversations: ConversationsTable;
  conversation_members: ConversationMembersTable;
  messages: MessagesTable;
  inbox: InboxTable;
  inbox_heads: InboxHeadsTable;
  send_receipts: SendReceiptsTable;
  group_leaves: GroupLeavesTable;
  pending_removals: PendingRemovalsTable;
  blocks: BlocksTable;
  attachments: AttachmentsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  authorities: AuthoritiesTable;
  authority_nonces: AuthorityNoncesTable;
  data_requests: DataRequestsTable;
  channels: ChannelsTable;
  channel_posts: ChannelPostsTable;
  channel_follows: ChannelFollowsTable;
  mailings: MailingsTable;
  notice_states: NoticeStatesTable;
  restriction_orders: RestrictionOrdersTable;
  restriction_notices: RestrictionNoticesTable;
}
