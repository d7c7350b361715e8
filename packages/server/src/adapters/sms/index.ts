import type { Clock, Logger } from '@signet/common';
import type { SmsConfig } from '../../config/config';
import { DevSmsSink } from './dev-sink';
import type { SmsGateway } from './gateway';
import { HttpSmsGateway } from './http';
import { SmppSmsGateway } from './smpp';

export function createSmsGateway(config: SmsConfig, clock: Clock, log: Logger): SmsGateway {
  switch (config.provider) {
    case 'dev':
      return new DevSmsSink(clock, log);
    case 'http':
      return new HttpSmsGateway(config);
    case 'smpp':
      return new SmppSmsGateway(config, log);
  }
}
