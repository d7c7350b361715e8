import { Writable } from 'node:stream';
import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

export interface LogSettings {
  level: string;
  /** Human-readable single-line output for development, JSON otherwise. */
  pretty?: boolean;
}

/** Keys whose values never reach a log line, wherever they appear. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers["webhook-signature"]',
  'req.headers["sec-websocket-protocol"]',
  '*.code',
  '*.token',
  '*.password',
  '*.secret',
];

export function createLogger(settings: LogSettings, destination?: NodeJS.WritableStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    redact: { paths: REDACTED, censor: '[redacted]' },
    base: undefined,
  };
  const out = destination ?? (settings.pretty ? prettyStream(process.stdout) : undefined);
  return out ? pino(options, out) : pino(options);
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const QUIET_KEYS = new Set(['level', 'time', 'msg', 'module', 'pid', 'hostname', 'reqId']);

/** One readable line per entry, for the development console. */
export function prettyStream(out: NodeJS.WritableStream): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          const time = new Date(Number(entry.time)).toISOString().slice(11, 19);
          const level = (LEVELS[Number(entry.level)] ?? 'log').padEnd(5);
          const module = entry.module ? `[${entry.module}] ` : '';
          const rest = Object.entries(entry)
            .filter(([k]) => !QUIET_KEYS.has(k))
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' ');
          out.write(`${time} ${level} ${module}${String(entry.msg ?? '')}${rest ? ` ${rest}` : ''}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

/** A logger that writes nothing, for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
