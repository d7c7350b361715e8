import type { SignetApi } from './api/endpoints';
import type { ContactService } from './contacts';

export interface BlockedAccount {
  accountId: string;
  phoneNumber?: string;
  at: number;
}

/** "Refuse messages from this user": kept and enforced by the server, private to the blocker. */
export class BlockService {
  constructor(
    private readonly api: SignetApi,
    private readonly contacts: ContactService,
  ) {}

  block(accountId: string): Promise<void> {
    return this.api.block(accountId);
  }

  unblock(accountId: string): Promise<void> {
    return this.api.unblock(accountId);
  }

  /** By number: the number must belong to an identified account. */
  async blockNumber(phoneNumber: string): Promise<string> {
    const { accountId } = await this.contacts.lookup(phoneNumber);
    await this.block(accountId);
    return accountId;
  }

  async unblockNumber(phoneNumber: string): Promise<string> {
    const { accountId } = await this.contacts.lookup(phoneNumber);
    await this.unblock(accountId);
    return accountId;
  }

  async list(): Promise<BlockedAccount[]> {
    const { blocked } = await this.api.blocks();
    const out: BlockedAccount[] = [];
    for (const b of blocked) {
      const phoneNumber = (await this.contacts.get(b.accountId))?.phoneNumber;
      out.push({ accountId: b.accountId, at: b.at, ...(phoneNumber ? { phoneNumber } : {}) });
    }
    return out;
  }
}
