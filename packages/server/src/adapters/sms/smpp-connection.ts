import { once } from 'node:events';
import type { Logger } from '@signet/common';
import smpp from 'smpp';
import { SmsRetryableError } from './gateway';
import { ESME, statusName } from './smpp-fields';

export interface SmppEndpoint {
  host: string;
  port: number;
  systemId: string;
  password: string;
}

/**
 * One bound transceiver session with the SMSC. It answers the SMSC's own requests, and since the
 * smpp package never calls back for requests whose connection dropped, it fails them itself.
 */
export class SmppConnection {
  private readonly pending = new Set<(error: Error) => void>();
  private lastError: Error | undefined;
  private ended = false;

  private constructor(
    private readonly session: smpp.Session,
    log: Logger,
    private readonly onEnd: () => void,
  ) {
    session.on('pdu', (pdu: smpp.PDU) => this.answer(pdu));
    // Also after a malformed PDU: the package stops reading that connection, so it is of no more use.
    session.on('error', (error: Error) => {
      this.lastError = error;
      log.warn({ err: error }, 'smpp connection failed');
      this.destroy();
    });
    // 'end' (the SMSC's FIN) comes before 'close'; from then on nothing more can be sent or answered.
    session.socket.on('end', () => this.finish());
    session.on('close', () => this.finish());
  }

  /** Connects and binds; throws SmsRetryableError if either fails or `signal` fires first. */
  static async open(endpoint: SmppEndpoint, log: Logger, signal: AbortSignal, onEnd: () => void) {
    const session = smpp.connect({ host: endpoint.host, port: endpoint.port });
    const connection = new SmppConnection(session, log, onEnd);
    try {
      await connection.wait<void>((done) => session.once('connect', () => done()), signal);
      const bind = await connection.request(
        'bind_transceiver',
        { system_id: endpoint.systemId, password: endpoint.password },
        signal,
      );
      if (bind.command_status !== ESME.ROK) {
        throw new SmsRetryableError(`SMPP bind refused: ${statusName(bind.command_status)}`);
      }
    } catch (error) {
      connection.destroy();
      throw error;
    }
    log.info({ host: endpoint.host, port: endpoint.port, systemId: endpoint.systemId }, 'smpp bound');
    return connection;
  }

  /** Sends a request and resolves with its response, whatever its command_status. */
  request(command: string, fields: Record<string, unknown>, signal: AbortSignal): Promise<smpp.PDU> {
    return this.wait((done, fail) => {
      if (!this.session.send(new smpp.PDU(command, fields), done)) fail(this.closedError());
    }, signal);
  }

  /** Unbinds politely, then closes; gives up and drops the connection when `signal` fires. */
  async unbind(signal: AbortSignal): Promise<void> {
    if (this.ended) return;
    await this.request('unbind', {}, signal).catch(() => undefined);
    if (this.ended) return;
    const closed = once(this.session, 'close', { signal }).catch(() => this.session.destroy());
    this.session.close();
    await closed;
  }

  /** Drops the connection at once; outstanding requests fail and the gateway forgets it. */
  destroy(): void {
    this.session.destroy();
    this.finish();
  }

  /**
   * Waits for a callback-style event, failing with SmsRetryableError when the connection ends or
   * `signal` fires. A timed-out request drops the connection: an SMSC that does not answer within
   * the timeout is likely gone (a half-open TCP link), and the next send reconnects.
   */
  private wait<T>(
    start: (done: (value: T) => void, fail: (error: Error) => void) => void,
    signal: AbortSignal,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.ended) return reject(this.closedError());
      if (signal.aborted) return reject(new SmsRetryableError('SMPP request timed out'));
      const settle = () => {
        this.pending.delete(fail);
        signal.removeEventListener('abort', onAbort);
      };
      const fail = (error: Error) => {
        settle();
        reject(error);
      };
      const onAbort = () => {
        fail(new SmsRetryableError('SMPP request timed out'));
        this.destroy();
      };
      this.pending.add(fail);
      signal.addEventListener('abort', onAbort, { once: true });
      start((value) => {
        settle();
        resolve(value);
      }, fail);
    });
  }

  /** Answers what the SMSC may ask of a transceiver, so that it neither drops us nor resends. */
  private answer(pdu: smpp.PDU): void {
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case 'enquire_link':
      // Delivery receipts and replies: acknowledged so the SMSC stops offering them, otherwise unused.
      case 'deliver_sm':
      case 'data_sm':
        this.session.send(pdu.response());
        return;
      case 'unbind':
        this.session.send(pdu.response(), () => this.session.close());
        this.finish(); // at once, so that the next send opens a new session rather than use this one
        return;
      default:
        this.session.send(
          new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: ESME.RINVCMDID }),
        );
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const fail of this.pending) fail(this.closedError());
    this.onEnd();
  }

  private closedError(): SmsRetryableError {
    const reason = this.lastError ? `: ${this.lastError.message}` : '';
    return new SmsRetryableError(`SMPP connection closed${reason}`);
  }
}
