import type { AccountEvent } from '@signet/protocol';
import type { Broker } from '../adapters/broker/broker';

/** What travels on `account.<id>` topics: an event for every device of the account but one. */
export interface AccountTopicMessage {
  event: AccountEvent;
  exceptDeviceId?: string | undefined;
}

/** What travels on `device.<id>` topics. */
export interface DeviceTopicMessage {
  close: { code: number; reason: string };
}

export const accountTopic = (accountId: string) => `account.${accountId}`;
export const deviceTopic = (deviceId: string) => `device.${deviceId}`;

/** Tells an account's online devices what happened to the account. */
export class AccountNotifier {
  constructor(private readonly broker: Broker) {}

  async notify(accountId: string, event: AccountEvent, exceptDeviceId?: string): Promise<void> {
    const message: AccountTopicMessage = { event, exceptDeviceId };
    await this.broker.publish(accountTopic(accountId), message);
  }

  /** Ends a device's live connections (after revocation or deletion). */
  async disconnect(deviceId: string, reason: string): Promise<void> {
    const message: DeviceTopicMessage = { close: { code: 4001, reason } };
    await this.broker.publish(deviceTopic(deviceId), message);
  }
}
