import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** Far above any state an emulator reaches (1000 models of 5 versions take 1.6 MB); refuses to read a huge file into memory. */
export const MAX_STATE_BYTES = 256 * 1024 * 1024;

let tmpCounter = 0;

/**
 * Writes the whole state to a temporary file and renames it into place, so a crash leaves the
 * old state or the new one, never half a file. Synchronous: the state is small and a mutation is
 * only answered once it is on disk.
 */
export function writeStateFile(file: string, state: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  tmpCounter += 1;
  const tmp = `${file}.${process.pid}.${tmpCounter}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Reads a state file written by {@link writeStateFile}; undefined when there is none yet. A file
 * that is not JSON or not of the expected shape is an error naming the file and what to do,
 * never a silent empty start (that would lose everything at the next write).
 */
export function readStateFile<T>(file: string, validate: ValidateFunction<T>, what: string): T | undefined {
  if (!existsSync(file)) return undefined;
  const size = statSync(file).size;
  if (size > MAX_STATE_BYTES) {
    throw new Error(
      `${file}: ${size} bytes, more than the ${MAX_STATE_BYTES} a ${what} state can be; it is not one this emulator wrote. Restore it from a backup, or delete it to start empty.`,
    );
  }
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${file}: not valid JSON (${(error as Error).message}); it may be truncated. Restore it from a backup, or delete it to start ${what} empty.`,
    );
  }
  if (!validate(value)) {
    throw new Error(
      `${file}: not a ${what} state written by this emulator (${describe(validate.errors)}). Restore it from a backup, or delete it to start empty.`,
    );
  }
  return value;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'unexpected content';
  return `${first.instancePath || '(top level)'} ${first.message ?? 'is invalid'}`;
}
