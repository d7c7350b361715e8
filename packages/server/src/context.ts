import { type Clock, createLogger, Database, type Logger, systemClock } from '@signet/common';
import { AccountManager } from './accounts/account-manager';
import { AccountEventRetention } from './accounts/event-retention';
import { AccountNotifier } from './accounts/notifier';
import { RegistrationLock } from './accounts/registration-lock';
import type { Broker } from './adapters/broker/broker';
import { LocalBroker } from './adapters/broker/local';
import { createSmsGateway } from './adapters/sms';
import { DevSmsSink } from './adapters/sms/dev-sink';
import type { SmsGateway } from './adapters/sms/gateway';
import { AuditLog } from './audit/audit-log';
import { AuthorityService } from './authority/service';
import { ChannelService } from './channels/service';
import type { ServerConfig } from './config/config';
import { migrations, type Schema, type ServerDatabase } from './db';
import { IdentificationService } from './identification/service';
import { ServerKeys } from './keys/server-keys';
import { MailingService } from './mailings/service';
import { MessagingService } from './messaging/service';
import { Metrics } from './metrics';
import { RateLimiters } from './rate-limit/registry';
import { RestrictionOrders } from './restrictions/orders';
import { isFingerprintBlocked } from './restrictions/restriction-store';
import { VerificationManager } from './verification/verification-manager';

/** What tests (and embedders) may replace: the outside world and time. */
export interface ContextOverrides {
  clock?: Clock;
  sms?: SmsGateway;
  broker?: Broker;
  logger?: Logger;
  db?: ServerDatabase;
  /** HTTP to operators (tests may route it). */
  fetch?: typeof fetch;
}

/** The one application context: configuration, storage, adapters and managers, built once and passed in. */
export class AppContext {
  private constructor(
    readonly config: ServerConfig,
    readonly clock: Clock,
    readonly log: Logger,
    readonly db: ServerDatabase,
    readonly broker: Broker,
    readonly sms: SmsGateway,
    readonly limiters: RateLimiters,
    readonly metrics: Metrics,
    readonly keys: ServerKeys,
    readonly notifier: AccountNotifier,
    readonly verification: VerificationManager,
    readonly accounts: AccountManager,
    readonly identification: IdentificationService,
    readonly messaging: MessagingService,
    readonly audit: AuditLog,
    readonly authority: AuthorityService,
    readonly eventRetention: AccountEventRetention,
    readonly channels: ChannelService,
    readonly mailings: MailingService,
    readonly restrictions: RestrictionOrders,
  ) {}

  static async fromConfig(config: ServerConfig, overrides: ContextOverrides = {}): Promise<AppContext> {
    const clock = overrides.clock ?? systemClock;
    const log = overrides.logger ?? createLogger({ level: config.log.level });
    const db = overrides.db ?? Database.open<Schema>(config.database);
    await db.migrate(migrations);
    const keys = await ServerKeys.load(db, clock);
    const broker = overrides.broker ?? new LocalBroker();
    const sms = overrides.sms ?? createSmsGateway(config.sms, clock, log.child({ module: 'sms' }));
    const limiters = new RateLimiters(config.limits, clock);
    const metrics = new Metrics();
    const notifier = new AccountNotifier(broker);
    const audit = new AuditLog(db, clock);
    const verification = new VerificationManager({
      db,
      clock,
      config,
      sms,
      limiters,
      codeKey: keys.codeKey,
      log: log.child({ module: 'verification' }),
    });
    const lock = new RegistrationLock(db, clock, config.registrationLock, keys.opaqueSetup, notifier);
    const identification = new IdentificationService({
      db,
      clock,
      config: config.identification,
      notifier,
      metrics,
      audit,
      log,
      ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
    });
    const messaging = new MessagingService(db, clock, config.messaging, identification.gate, broker, notifier, log);
    const accounts = new AccountManager({
      db,
      clock,
      limiters,
      verification,
      lock,
      notifier,
      identification: identification.manager,
      groups: messaging.delivery,
      log: log.child({ module: 'accounts' }),
    });
    // New public posts whose fingerprint an order in force blocks are refused (read from the database: every node).
    const fingerprintBlocked = (sha256: string) => isFingerprintBlocked(db.db, sha256, clock.now());
    const channels = new ChannelService({
      db,
      clock,
      gate: identification.gate,
      limiters,
      broker,
      log,
      fingerprintBlocked,
    });
    return new AppContext(
      config,
      clock,
      log,
      db,
      broker,
      sms,
      limiters,
      metrics,
      keys,
      notifier,
      verification,
      accounts,
      identification,
      messaging,
      audit,
      new AuthorityService({ db, clock, audit, metrics, log }),
      new AccountEventRetention(db, clock, config.retention.accountEventDays, log.child({ module: 'retention' })),
      channels,
      new MailingService({ db, clock, audit, broker, gate: identification.gate, log }),
      new RestrictionOrders({
        db,
        clock,
        audit,
        channels: channels.restrictions,
        notifier,
        log: log.child({ module: 'restrictions' }),
      }),
    );
  }

  /** The development SMS sink, when that is the gateway in use. */
  get devSms(): DevSmsSink | undefined {
    return this.sms instanceof DevSmsSink ? this.sms : undefined;
  }

  async close(): Promise<void> {
    await this.identification.stop();
    await this.mailings.close();
    await this.broker.close();
    await this.sms.close?.();
    await this.db.close();
  }
}
