import { MINUTE } from '@signet/common';
import type { AppContext } from './context';

/**
 * Periodic clean-up of expired rows: verification sessions, password logins and failures, authority nonces,
 * account events past their retention period, and restriction orders past their expiry.
 */
export class Janitor {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly intervalMs = MINUTE,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async runOnce(): Promise<void> {
    try {
      await this.ctx.verification.sweep();
      await this.ctx.accounts.sweep();
      await this.ctx.identification.events.sweep();
      await this.ctx.messaging.delivery.sweep();
      await this.ctx.messaging.delivery.proposeRemovals();
      await this.ctx.authority.sweep();
      await this.ctx.eventRetention.sweep();
      // Orders past their expiry end here, and what they restricted is shown again; audited.
      await this.ctx.restrictions.sweep();
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'clean-up failed; will retry');
    }
  }
}
