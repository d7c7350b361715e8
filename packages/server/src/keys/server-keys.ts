import { randomBytes } from 'node:crypto';
import * as opaque from '@serenity-kit/opaque';
import type { Clock } from '@signet/common';
import type { ServerDatabase } from '../db';

/**
 * Secrets the server makes on first start and keeps in its database, so that every node shares them
 * and a restart keeps them: the key under which SMS codes are hashed, and the OPAQUE server setup.
 */
export class ServerKeys {
  private constructor(
    readonly codeKey: Buffer,
    readonly opaqueSetup: string,
  ) {}

  static async load(db: ServerDatabase, clock: Clock): Promise<ServerKeys> {
    await opaque.ready;
    const codeKey = await getOrCreate(db, clock, 'code-hmac', () => randomBytes(32).toString('base64'));
    const opaqueSetup = await getOrCreate(db, clock, 'opaque-server-setup', () => opaque.server.createSetup());
    return new ServerKeys(Buffer.from(codeKey, 'base64'), opaqueSetup);
  }
}

async function getOrCreate(db: ServerDatabase, clock: Clock, name: string, make: () => string): Promise<string> {
  await db.db
    .insertInto('server_keys')
    .values({ name, value: make(), created_at: clock.now() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.db.selectFrom('server_keys').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
