/** The process logger (pino): JSON lines, level from LOG_LEVEL. */
import pino, { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'finmatch' }, redact: ['req.headers.authorization'] });
}
