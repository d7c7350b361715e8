import type { Clock, Logger } from '@signet/common';
import type { SmsGateway, SmsMessage } from './gateway';

export interface SunkMessage extends SmsMessage {
  sentAt: number;
}

/**
 * The development SMS sink: keeps the last messages in memory for the development-only endpoint and
 * prints them to the development log. Never used in production (configuration refuses it).
 */
export class DevSmsSink implements SmsGateway {
  readonly name = 'dev';
  private readonly messages: SunkMessage[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly log?: Logger,
    private readonly keep = 500,
  ) {}

  async send(message: SmsMessage): Promise<void> {
    this.messages.push({ ...message, sentAt: this.clock.now() });
    if (this.messages.length > this.keep) this.messages.shift();
    // Development only: the text holds the code, which is the point of the sink.
    this.log?.info(`[dev sms] to ${message.to}: ${message.text}`);
  }

  list(to?: string): SunkMessage[] {
    return this.messages.filter((m) => to === undefined || m.to === to).reverse();
  }

  /** The newest code sent to a number, for tests and the development panel. */
  lastCode(to: string): string | undefined {
    const found = this.list(to)[0];
    return found ? /\b(\d{6})\b/.exec(found.text)?.[1] : undefined;
  }
}
