import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, type Logger, silentLogger } from '@signet/common';
import smpp from 'smpp';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmsConfig } from '../../config/config';
import { SmsFinalError, SmsRetryableError } from './gateway';
import { SmppSmsGateway } from './smpp';
import { ESME } from './smpp-fields';

type SmppConfig = Extract<SmsConfig, { provider: 'smpp' }>;
type Answer = number | 'silence';

/** An SMSC on a loopback port that records what it receives and answers submits as told. */
class TestSmsc {
  readonly events = new EventEmitter();
  readonly binds: smpp.PDU[] = [];
  readonly submits: smpp.PDU[] = [];
  unbinds = 0;
  /** Answers for the next submits, in order; afterwards ESME_ROK. */
  answers: Answer[] = [];

  private constructor(readonly server: smpp.Server) {}

  static async start(password = 'secret'): Promise<TestSmsc> {
    const smsc: TestSmsc = new TestSmsc(smpp.createServer((session) => smsc.serve(session, password)));
    smsc.server.listen(0, '127.0.0.1');
    await once(smsc.server, 'listening');
    return smsc;
  }

  get url(): string {
    return `smpp://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  session(): smpp.Session {
    const [session] = this.server.sessions;
    if (!session) throw new Error('no SMPP session');
    return session;
  }

  async close(): Promise<void> {
    for (const session of [...this.server.sessions]) session.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private serve(session: smpp.Session, password: string): void {
    session.on('error', () => {}); // the gateway may drop connections abruptly, which is fine here
    session.on('close', () => this.events.emit('session-closed'));
    session.on('bind_transceiver', (pdu: smpp.PDU) => {
      this.binds.push(pdu);
      session.send(pdu.response({ command_status: pdu.password === password ? ESME.ROK : ESME.RINVPASWD }));
    });
    session.on('submit_sm', (pdu: smpp.PDU) => {
      this.submits.push(pdu);
      const answer = this.answers.shift() ?? ESME.ROK;
      if (answer !== 'silence') {
        session.send(pdu.response({ command_status: answer, message_id: `m${this.submits.length}` }));
      }
    });
    session.on('unbind', (pdu: smpp.PDU) => {
      this.unbinds++;
      session.send(pdu.response());
    });
  }
}

/** The text the SMSC decoded from a submit_sm, from short_message or message_payload. */
function textOf(pdu: smpp.PDU): string {
  return ((pdu.message_payload ?? pdu.short_message) as { message: string }).message;
}

describe('SmppSmsGateway', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startSmsc(password?: string): Promise<TestSmsc> {
    const smsc = await TestSmsc.start(password);
    cleanups.push(() => smsc.close());
    return smsc;
  }

  function gateway(url: string, config: Partial<SmppConfig> = {}, log: Logger = silentLogger()): SmppSmsGateway {
    const base: SmppConfig = {
      provider: 'smpp',
      url,
      systemId: 'signet',
      password: 'secret',
      sourceAddr: 'Signet',
      timeoutMs: 2_000,
    };
    const created = new SmppSmsGateway({ ...base, ...config }, log);
    cleanups.push(() => created.close());
    return created;
  }

  it('connects only on the first send, binding as a transceiver with the configured credentials', async () => {
    const smsc = await startSmsc();
    const sms = gateway(smsc.url);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(smsc.server.sessions).toHaveLength(0);

    await sms.send({ to: '+79001234567', text: 'Your Signet code: 123456' });
    expect(smsc.binds).toHaveLength(1);
    expect(smsc.binds[0]).toMatchObject({ command: 'bind_transceiver', system_id: 'signet', password: 'secret' });
  });

  it('submits ASCII text in the default alphabet to the number without "+", as international ISDN', async () => {
    const smsc = await startSmsc();
    const text = 'Your Signet code: 123456. Do not share it with anyone.';
    await gateway(smsc.url).send({ to: '+79001234567', text });

    expect(smsc.submits).toHaveLength(1);
    const submit = smsc.submits[0]!;
    expect(submit).toMatchObject({
      destination_addr: '79001234567',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      source_addr: 'Signet',
      source_addr_ton: 5,
      source_addr_npi: 0,
      data_coding: 0,
    });
    expect(textOf(submit)).toBe(text);
  });

  it('sends Cyrillic text as UCS2 (data_coding 8)', async () => {
    const smsc = await startSmsc();
    const text = 'Код Signet: 123456. Никому его не сообщайте.';
    await gateway(smsc.url).send({ to: '+79001234567', text });

    expect(smsc.submits[0]!.data_coding).toBe(8);
    expect((smsc.submits[0]!.short_message as { message: string }).message).toBe(text);
  });

  it('puts text longer than one SMS in message_payload', async () => {
    const smsc = await startSmsc();
    const text = `Ваш код: 123456. ${'Никому его не сообщайте. '.repeat(4)}`;
    await gateway(smsc.url).send({ to: '+79001234567', text });

    expect(smsc.submits[0]!.data_coding).toBe(8);
    expect((smsc.submits[0]!.short_message as { message: string }).message).toBe('');
    expect(textOf(smsc.submits[0]!)).toBe(text);
  });

  it('shares one session between concurrent sends and keeps it for later ones', async () => {
    const smsc = await startSmsc();
    const sms = gateway(smsc.url);
    await Promise.all(['+79001234561', '+79001234562', '+79001234563'].map((to) => sms.send({ to, text: 'hi' })));
    await sms.send({ to: '+79001234564', text: 'hi' });

    expect(smsc.binds).toHaveLength(1);
    expect(smsc.submits.map((pdu) => pdu.destination_addr).sort()).toEqual([
      '79001234561',
      '79001234562',
      '79001234563',
      '79001234564',
    ]);
  });

  it('fails with a retryable error and submits nothing when the bind is refused', async () => {
    const smsc = await startSmsc('other');
    const sending = gateway(smsc.url).send({ to: '+79001234567', text: 'hi' });

    await expect(sending).rejects.toThrow(SmsRetryableError);
    await expect(sending).rejects.toThrow(/bind refused: ESME_RINVPASWD/);
    expect(smsc.binds).toHaveLength(1);
    expect(smsc.submits).toHaveLength(0);
  });

  it.each([
    ['ESME_RTHROTTLED', ESME.RTHROTTLED],
    ['ESME_RMSGQFUL', ESME.RMSGQFUL],
  ])('turns %s into a retryable error', async (name, status) => {
    const smsc = await startSmsc();
    smsc.answers = [status];
    const sms = gateway(smsc.url);

    await expect(sms.send({ to: '+79001234567', text: 'hi' })).rejects.toThrow(new RegExp(name));
    await expect(sms.send({ to: '+79001234567', text: 'hi' })).resolves.toBeUndefined();
    smsc.answers = [status];
    await expect(sms.send({ to: '+79001234567', text: 'hi' })).rejects.toBeInstanceOf(SmsRetryableError);
  });

  it('turns an invalid destination into a final error', async () => {
    const smsc = await startSmsc();
    smsc.answers = [ESME.RINVDSTADR];
    const sending = gateway(smsc.url).send({ to: '+79001234567', text: 'hi' });

    await expect(sending).rejects.toBeInstanceOf(SmsFinalError);
    await expect(sending).rejects.toThrow(/ESME_RINVDSTADR/);
  });

  it('refuses a number that is not E.164 without contacting the SMSC', async () => {
    const smsc = await startSmsc();
    await expect(gateway(smsc.url).send({ to: '89001234567', text: 'hi' })).rejects.toBeInstanceOf(SmsFinalError);
    expect(smsc.binds).toHaveLength(0);
  });

  it('gives a retryable error when the SMSC does not answer in time, then reconnects', async () => {
    const smsc = await startSmsc();
    smsc.answers = ['silence'];
    const sms = gateway(smsc.url, { timeoutMs: 200 });

    await expect(sms.send({ to: '+79001234567', text: 'hi' })).rejects.toThrow(/timed out/);
    await sms.send({ to: '+79001234567', text: 'hi' });
    expect(smsc.binds).toHaveLength(2);
    expect(smsc.submits).toHaveLength(2);
  });

  it('connects and binds again on the send after the SMSC closes the session', async () => {
    const smsc = await startSmsc();
    const sms = gateway(smsc.url);
    await sms.send({ to: '+79001234567', text: 'one' });

    const closed = once(smsc.events, 'session-closed');
    smsc.session().close();
    await closed;
    await sms.send({ to: '+79001234567', text: 'two' });

    expect(smsc.binds).toHaveLength(2);
    expect(smsc.submits.map(textOf)).toEqual(['one', 'two']);
  });

  it('answers an unbind from the SMSC, closes, and binds again on the next send', async () => {
    const smsc = await startSmsc();
    const sms = gateway(smsc.url);
    await sms.send({ to: '+79001234567', text: 'one' });

    const closed = once(smsc.events, 'session-closed');
    const answer = await new Promise<smpp.PDU>((resolve) => smsc.session().unbind({}, resolve));
    expect(answer).toMatchObject({ command: 'unbind_resp', command_status: 0 });
    await closed;
    await sms.send({ to: '+79001234567', text: 'two' });
    expect(smsc.binds).toHaveLength(2);
  });

  it('answers enquire_link and acknowledges deliver_sm from the SMSC', async () => {
    const smsc = await startSmsc();
    await gateway(smsc.url).send({ to: '+79001234567', text: 'hi' });
    const session = smsc.session();

    const link = await new Promise<smpp.PDU>((resolve) => session.enquire_link({}, resolve));
    expect(link).toMatchObject({ command: 'enquire_link_resp', command_status: 0 });
    const receipt = await new Promise<smpp.PDU>((resolve) =>
      session.send(new smpp.PDU('deliver_sm', { source_addr: '79001234567', short_message: 'id:m1' }), resolve),
    );
    expect(receipt).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
  });

  it('close() unbinds, closes the connection and refuses later sends', async () => {
    const smsc = await startSmsc();
    const sms = gateway(smsc.url);
    await sms.send({ to: '+79001234567', text: 'hi' });

    const closed = once(smsc.events, 'session-closed');
    await sms.close();
    await closed;
    expect(smsc.unbinds).toBe(1);
    expect(smsc.server.sessions).toHaveLength(0);
    await expect(sms.send({ to: '+79001234567', text: 'hi' })).rejects.toBeInstanceOf(SmsRetryableError);
  });

  it('gives a retryable error when the SMSC is unreachable', async () => {
    const smsc = await TestSmsc.start();
    const url = smsc.url;
    await smsc.close();

    await expect(gateway(url).send({ to: '+79001234567', text: 'hi' })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('never logs the text or the full number', async () => {
    const lines: string[] = [];
    const log = createLogger(
      { level: 'trace' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    const smsc = await startSmsc();
    smsc.answers = [ESME.RINVDSTADR];
    const sms = gateway(smsc.url, {}, log);
    await expect(sms.send({ to: '+79001234567', text: 'Your Signet code: 482910' })).rejects.toThrow();
    await sms.send({ to: '+79001234567', text: 'Your Signet code: 482910' });
    await sms.close();

    expect(lines.length).toBeGreaterThan(2);
    const logged = lines.join('');
    expect(logged).not.toContain('482910');
    expect(logged).not.toContain('9001234567');
  });
});
