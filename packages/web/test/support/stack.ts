import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSecret, silentLogger } from '@signet/common';
import { buildOperatorConfig, createOperator, type OperatorService, seedDemoSubscribers } from '@signet/operator';
import { buildConfig, SignetServer } from '@signet/server';

const MESSENGER_ID = 'signet-web-test';
const OPERATOR_ID = 'demo-operator';
/** The number the demo operator never answers (as under `signet dev`). */
export const SILENT_NUMBER = '+79001000007';

export interface Stack {
  url: string;
  server: SignetServer;
  operator: OperatorService;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** The messenger in development mode (SMS sink) and the demo operator, wired as `signet dev` wires them. */
export async function startStack(): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'signet-web-'));
  const [port, operatorPort] = [await freePort(), await freePort()];
  const secret = newSecret(randomBytes(32));
  const config = buildConfig({
    SIGNET_ENV: 'development',
    SIGNET_SMS_PROVIDER: 'dev',
    SIGNET_HOST: '127.0.0.1',
    SIGNET_PORT: String(port),
    SIGNET_DATA_DIR: join(dir, 'messenger'),
    SIGNET_LOG_LEVEL: 'silent',
    SIGNET_MESSENGER_ID: MESSENGER_ID,
    SIGNET_IDENTIFICATION_LINGER: '10ms',
    // Every browser in the test shares one address.
    SIGNET_LIMIT_SMS_ADDRESS: '200/1h',
    SIGNET_LIMIT_DEV_SMS: '2000/1m',
    SIGNET_OPERATORS: JSON.stringify([
      { id: OPERATOR_ID, name: 'Demo Operator', baseUrl: `http://127.0.0.1:${operatorPort}`, secrets: [secret] },
    ]),
  });
  const operatorConfig = buildOperatorConfig(
    {
      SIGNET_OPERATOR_ID: OPERATOR_ID,
      SIGNET_OPERATOR_PORT: String(operatorPort),
      SIGNET_OPERATOR_DATA_DIR: join(dir, 'operator'),
      SIGNET_OPERATOR_WORKER_INTERVAL: '50ms',
      SIGNET_OPERATOR_EVENT_LINGER: '0ms',
      SIGNET_OPERATOR_SILENT_NUMBERS: SILENT_NUMBER,
    },
    {
      messengers: [
        { messengerId: MESSENGER_ID, eventsUrl: `http://127.0.0.1:${port}/operator/v1/events`, secrets: [secret] },
      ],
    },
  );
  const server = await SignetServer.create(config, { logger: silentLogger() });
  await server.ctx.db.db.insertInto('number_prefixes').values({ prefix: '+7900', operator_id: OPERATOR_ID }).execute();
  let operator: OperatorService | undefined;
  try {
    operator = await createOperator(operatorConfig, { logger: silentLogger() });
    await seedDemoSubscribers(operator.subscribers);
    await operator.listen();
    await server.listen();
  } catch (error) {
    await operator?.close();
    await server.close();
    throw error;
  }
  const started = operator;
  return {
    url: server.url,
    server,
    operator: started,
    async close() {
      await started.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
