import type { Logger } from '@signet/common';
import type { SmsConfig } from '../../config/config';
import { type SmsGateway, type SmsMessage, SmsRetryableError } from './gateway';

type SmppConfig = Extract<SmsConfig, { provider: 'smpp' }>;

/** SMS over SMPP to an SMSC. */
export class SmppSmsGateway implements SmsGateway {
  readonly name = 'smpp';

  constructor(
    private readonly config: SmppConfig,
    private readonly log: Logger,
  ) {}

  async send(_message: SmsMessage): Promise<void> {
    this.log.error({ url: this.config.url }, 'SMPP gateway is being written');
    throw new SmsRetryableError('SMPP gateway not implemented yet');
  }
}
