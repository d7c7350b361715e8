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
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing, for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
