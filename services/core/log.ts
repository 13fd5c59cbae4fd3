import { Logger } from '@aws-lambda-powertools/logger';

export type LogFields = Record<string, unknown>;

/** What the core needs of a logger: Powertools' Logger in Lambda, stderr lines in CLIs. */
export interface Log {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Structured JSON logs for Lambda (Powertools Logger). */
export function lambdaLog(serviceName: string): Log {
  const logger = new Logger({ serviceName });
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
}

function humanFields(fields: LogFields | undefined): string {
  if (!fields) return '';
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

/** Human lines on stderr for CLIs: stdout stays clean for JSON lines. */
export function cliLog(options: { verbose?: boolean; write?: (line: string) => void } = {}): Log {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  return {
    debug: (message, fields) => {
      if (options.verbose) write(`debug: ${message}${humanFields(fields)}`);
    },
    info: (message, fields) => write(`${message}${humanFields(fields)}`),
    warn: (message, fields) => write(`warning: ${message}${humanFields(fields)}`),
    error: (message, fields) => write(`error: ${message}${humanFields(fields)}`),
  };
}

/** A log that keeps lines in memory, for tests. */
export function memoryLog(): Log & { lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
