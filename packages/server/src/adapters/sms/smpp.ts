import type { Logger } from '@signet/common';
import type { SmsConfig } from '../../config/config';
import { SmsFinalError, type SmsGateway, type SmsMessage, SmsRetryableError } from './gateway';
import { SmppConnection, type SmppEndpoint } from './smpp-connection';
import { destinationFields, ESME, isRetryableStatus, sourceFields, statusName, textFields } from './smpp-fields';

type SmppConfig = Extract<SmsConfig, { provider: 'smpp' }>;

/**
 * SMS over SMPP 3.4 to an SMSC, as a transceiver. Connects on the first send, keeps the session
 * for later sends, and connects again on the send after it drops.
 */
export class SmppSmsGateway implements SmsGateway {
  readonly name = 'smpp';
  private readonly endpoint: SmppEndpoint;
  private connection: Promise<SmppConnection> | undefined;
  private closed = false;

  constructor(
    private readonly config: SmppConfig,
    private readonly log: Logger,
  ) {
    const url = new URL(config.url);
    // ssmpp:// (SMPP over TLS) would need certificates configured; refuse it rather than send in clear.
    if (url.protocol !== 'smpp:') throw new Error(`SMPP URL must start with smpp://, not ${url.protocol}//`);
    this.endpoint = {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : 2775,
      systemId: config.systemId,
      password: config.password,
    };
  }

  async send(message: SmsMessage): Promise<void> {
    if (this.closed) throw new SmsRetryableError('SMPP gateway is closed');
    const fields = {
      ...sourceFields(this.config.sourceAddr),
      ...destinationFields(message.to),
      ...textFields(message.text),
    };
    // One budget for connecting, binding and the SMSC's answer.
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    const connection = await this.connect();
    const response = await connection.request('submit_sm', fields, signal);
    const status = response.command_status;
    // The text holds a code and the full number identifies a person: log neither.
    const to = `…${message.to.slice(-2)}`;
    if (status === ESME.ROK) {
      this.log.debug({ to, messageId: response.message_id }, 'sms submitted');
      return;
    }
    this.log.warn({ to, status: statusName(status) }, 'smsc refused submit_sm');
    if (status === ESME.RINVBNDSTS) connection.destroy();
    if (isRetryableStatus(status)) throw new SmsRetryableError(`SMSC answered ${statusName(status)}`);
    throw new SmsFinalError(`SMSC refused the message: ${statusName(status)}`);
  }

  /** Unbinds and closes the session, if there is one. */
  async close(): Promise<void> {
    this.closed = true;
    const connection = await this.connection?.catch(() => undefined);
    this.connection = undefined;
    await connection?.unbind(AbortSignal.timeout(this.config.timeoutMs));
  }

  /**
   * The current session, or a new one that concurrent sends share while it connects. A session
   * that ends forgets itself at once, so this never hands out a dead one it knows about.
   */
  private connect(): Promise<SmppConnection> {
    if (!this.connection) {
      const attempt: Promise<SmppConnection> = SmppConnection.open(
        this.endpoint,
        this.log,
        AbortSignal.timeout(this.config.timeoutMs),
        () => this.forget(attempt),
      );
      this.connection = attempt;
      attempt.catch(() => this.forget(attempt));
    }
    return this.connection;
  }

  private forget(attempt: Promise<SmppConnection>): void {
    if (this.connection === attempt) this.connection = undefined;
  }
}
