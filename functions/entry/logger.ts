import { appendFileSync } from 'node:fs';
import type { Logger } from '../pipeline/ports';

/** Where logs go: stdout (Cloud Logging), or the file named by FERRY_LOG_FILE (the local demo keeps its screen for timelines). */
function defaultWrite(line: string): void {
  const file = process.env.FERRY_LOG_FILE;
  if (file) appendFileSync(file, `${line}\n`);
  else process.stdout.write(`${line}\n`);
}

/**
 * Structured JSON logs, one line each: Cloud Logging reads `severity` and `message` and keeps the
 * rest (runId, function) as fields to filter on.
 * @see https://cloud.google.com/functions/docs/monitoring/logging#writing_structured_logs
 */
export function jsonLogger(functionName: string, write: (line: string) => void = defaultWrite): Logger {
  const emit =
    (severity: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(JSON.stringify({ severity, message, function: functionName, ...fields }));
  return { info: emit('INFO'), warn: emit('WARNING'), error: emit('ERROR') };
}
