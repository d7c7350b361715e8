import type { Kysely, Selectable } from 'kysely';
import type { OperatorSchema } from '../db';
import type { RegistrationsTable } from '../db/schema/registrations';

export type RegistrationRow = Selectable<RegistrationsTable>;
type Db = Kysely<OperatorSchema>;

export interface Confirmation {
  messengerId: string;
  userCode: string;
  phoneNumber: string;
  requestId: string;
  decidedAt: number;
}

/**
 * Records confirmations as active registrations (O4). A triple already active keeps its changedAt (nothing
 * changed for reconciliation); one that had ended becomes active again, changed now. Of two confirmations of
 * the same triple, the later one stands, as if they were recorded one after the other.
 */
export async function recordConfirmations(db: Db, confirmations: readonly Confirmation[]): Promise<void> {
  // One statement may not touch a row twice (PostgreSQL refuses it), so each triple goes once.
  const byTriple = new Map(confirmations.map((c) => [JSON.stringify([c.messengerId, c.userCode, c.phoneNumber]), c]));
  const rows = [...byTriple.values()];
  // 9 parameters a row: 500 rows stay below either dialect's parameter limit.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('registrations')
      .values(
        rows.slice(i, i + 500).map((c) => ({
          messenger_id: c.messengerId,
          user_code: c.userCode,
          phone_number: c.phoneNumber,
          request_id: c.requestId,
          decided_at: c.decidedAt,
          status: 'active',
          changed_at: c.decidedAt,
          terminated_at: null,
          termination_reason: null,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['messenger_id', 'user_code', 'phone_number']).doUpdateSet((eb) => ({
          request_id: eb.ref('excluded.request_id'),
          decided_at: eb.ref('excluded.decided_at'),
          changed_at: eb
            .case()
            .when('registrations.status', '=', 'active')
            .then(eb.ref('registrations.changed_at'))
            .else(eb.ref('excluded.changed_at'))
            .end(),
          status: 'active',
          terminated_at: null,
          termination_reason: null,
        })),
      )
      .execute();
  }
}

export async function activeRegistrationsOfNumber(db: Db, phone: string): Promise<RegistrationRow[]> {
  return db
    .selectFrom('registrations')
    .selectAll()
    .where('phone_number', '=', phone)
    .where('status', '=', 'active')
    .execute();
}

export async function registrationsOfNumber(db: Db, phone: string): Promise<RegistrationRow[]> {
  return db.selectFrom('registrations').selectAll().where('phone_number', '=', phone).orderBy('id').execute();
}

export async function terminateRegistrations(db: Db, phone: string, at: number, reason: string): Promise<void> {
  await db
    .updateTable('registrations')
    .set({ status: 'terminated', changed_at: at, terminated_at: at, termination_reason: reason })
    .where('phone_number', '=', phone)
    .where('status', '=', 'active')
    .execute();
}

/** A position in the listing order: changedAt, then userCode, then number (which makes it total). */
export interface ListingPosition {
  changedAt: number;
  userCode: string;
  phoneNumber: string;
}

/** One page of a messenger's registrations in listing order, from `sinceMs` (inclusive) and after `after`. */
export async function listRegistrations(
  db: Db,
  messengerId: string,
  options: { sinceMs: number; after?: ListingPosition | undefined; limit: number },
): Promise<RegistrationRow[]> {
  let q = db
    .selectFrom('registrations')
    .selectAll()
    .where('messenger_id', '=', messengerId)
    .where('changed_at', '>=', options.sinceMs);
  const after = options.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('changed_at', '>', after.changedAt),
        eb.and([eb('changed_at', '=', after.changedAt), eb('user_code', '>', after.userCode)]),
        eb.and([
          eb('changed_at', '=', after.changedAt),
          eb('user_code', '=', after.userCode),
          eb('phone_number', '>', after.phoneNumber),
        ]),
      ]),
    );
  }
  return q.orderBy('changed_at').orderBy('user_code').orderBy('phone_number').limit(options.limit).execute();
}
