import type { IdempotencyKeysTable } from './idempotency-keys';
import type { IdentificationRequestsTable } from './identification-requests';
import type { OperatorKeysTable } from './operator-keys';
import type { OutboxEventsTable } from './outbox-events';
import type { RegistrationsTable } from './registrations';
import type { SubscribersTable } from './subscribers';
import type { TerminationNoticesTable } from './termination-notices';

export interface OperatorSchema {
  subscribers: SubscribersTable;
  identification_requests: IdentificationRequestsTable;
  registrations: RegistrationsTable;
  termination_notices: TerminationNoticesTable;
  outbox_events: OutboxEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  operator_keys: OperatorKeysTable;
}
