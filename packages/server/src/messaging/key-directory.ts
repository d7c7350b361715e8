import type { Clock } from '@signet/common';
import type { ClaimedKeyPackages, KeyPackageStock, UploadKeyPackages } from '@signet/protocol';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import type { ServerDatabase } from '../db';
import { ApiError, conflict } from '../errors';
import type { IdentificationGate } from '../identification/gate';
import type { Blocks } from './blocks';

/** Stock below which a device is told to upload more. */
export const LOW_WATER = 10;
const MAX_STOCK = 200;

/** The KeyPackage directory: each one-time package is handed out once; the last-resort one stays. */
export class KeyDirectory {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly gate: IdentificationGate,
    private readonly blocks: Blocks,
  ) {}

  async upload(auth: AuthenticatedDevice, input: UploadKeyPackages): Promise<KeyPackageStock> {
    const now = this.clock.now();
    const stock = await this.stock(auth.deviceId);
    if (stock.count + input.keyPackages.length > MAX_STOCK) {
      throw conflict(`a device keeps at most ${MAX_STOCK} key packages; it has ${stock.count}`);
    }
    await this.db.transaction(async (tx) => {
      if (input.keyPackages.length > 0) {
        await tx
          .insertInto('key_packages')
          .values(
            input.keyPackages.map((kp) => ({
              device_id: auth.deviceId,
              key_package: kp,
              last_resort: 0,
              created_at: now,
            })),
          )
          .execute();
      }
      if (input.lastResort) {
        await tx
          .deleteFrom('key_packages')
          .where('device_id', '=', auth.deviceId)
          .where('last_resort', '=', 1)
          .execute();
        await tx
          .insertInto('key_packages')
          .values({ device_id: auth.deviceId, key_package: input.lastResort, last_resort: 1, created_at: now })
          .execute();
      }
    });
    return this.stock(auth.deviceId);
  }

  async stock(deviceId: string): Promise<KeyPackageStock> {
    const rows = await this.db.db
      .selectFrom('key_packages')
      .select(['last_resort', (eb) => eb.fn.countAll<number>().as('n')])
      .where('device_id', '=', deviceId)
      .groupBy('last_resort')
      .execute();
    const count = Number(rows.find((r) => Number(r.last_resort) === 0)?.n ?? 0);
    const hasLastResort = Number(rows.find((r) => Number(r.last_resort) === 1)?.n ?? 0) > 0;
    return { count, hasLastResort, lowWater: LOW_WATER };
  }

  /** Claims one package for every device of an identified account that has a credential. */
  async claim(auth: AuthenticatedDevice, accountId: string): Promise<ClaimedKeyPackages> {
    // Claiming another account's packages is the first step of adding it: an order limiting reach refuses it.
    if (accountId === auth.accountId) await this.gate.assertCanSend(auth.accountId);
    else await this.gate.assertCanReachOut(auth.accountId);
    if (accountId !== auth.accountId && (await this.blocks.isBlocked(accountId, auth.accountId))) {
      // Said the same way as for an unknown account: the block list is private.
      throw new ApiError(404, 'NOT_FOUND', 'no identified account to add');
    }
    if (!(await this.gate.isIdentified(accountId)))
      throw new ApiError(404, 'NOT_FOUND', 'no identified account to add');
    return this.db.transaction(async (tx) => {
      const devices = await tx
        .selectFrom('device_credentials')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('device_id')
        .execute();
      const out: ClaimedKeyPackages['devices'] = [];
      for (const cred of devices) {
        if (cred.device_id === auth.deviceId) continue;
        let q = tx
          .selectFrom('key_packages')
          .selectAll()
          .where('device_id', '=', cred.device_id)
          .orderBy('last_resort')
          .orderBy('id')
          .limit(1);
        if (this.db.forUpdateSkipLocked) q = q.forUpdate().skipLocked();
        const kp = await q.executeTakeFirst();
        if (!kp) continue;
        if (Number(kp.last_resort) === 0) await tx.deleteFrom('key_packages').where('id', '=', kp.id).execute();
        out.push({
          deviceId: cred.device_id,
          keyPackage: kp.key_package,
          lastResort: Number(kp.last_resort) === 1,
          credential: {
            accountId: cred.account_id,
            deviceId: cred.device_id,
            signatureKey: cred.signature_key,
            keyId: cred.key_id,
            signature: cred.signature,
            issuedAt: cred.issued_at,
          },
        });
      }
      return { accountId, devices: out };
    });
  }
}
