import type { Registration, RegistrationPage } from '@signet/protocol';
import type { OperatorDatabase } from '../db';
import { formatInstant } from '../time';
import { encodeCursor } from './cursor';
import { type ListingPosition, listRegistrations, type RegistrationRow } from './registration-store';

export const DEFAULT_PAGE = 1000;

/** One page of a messenger's registrations (4.5) and the cursor to the next, if there is more. */
export async function registrationPage(
  db: OperatorDatabase,
  cursorKey: Buffer,
  messengerId: string,
  query: { sinceMs: number; after?: ListingPosition | undefined; limit: number },
): Promise<RegistrationPage> {
  // One row more than asked tells whether another page exists without a count.
  const rows = await listRegistrations(db.db, messengerId, { ...query, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const more = rows.length > query.limit && last !== undefined;
  return {
    registrations: page.map(toRegistration),
    nextCursor: more
      ? encodeCursor(cursorKey, messengerId, {
          changedAt: last.changed_at,
          userCode: last.user_code,
          phoneNumber: last.phone_number,
        })
      : null,
  };
}

function toRegistration(row: RegistrationRow): Registration {
  return {
    userCode: row.user_code,
    phoneNumber: row.phone_number,
    status: row.status,
    changedAt: formatInstant(row.changed_at),
  };
}
