import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findStackFile } from './find-stack-file';

/**
 * `ferry up` leaves the running stack's variables in `.ferry/stack.json`, so `ferry drop`, `status`
 * and `plan` in another terminal reach the same emulators. Against a real project, the same
 * commands use the environment (FERRY_PROJECT, FERRY_STATE_BUCKET, ...) instead.
 */
export const STACK_FILE = join('.ferry', 'stack.json');

export interface StackFile {
  env: Record<string, string>;
  buckets: { artifacts: string; state: string; mobile: string };
  pid: number;
}

export function writeStackFile(file: StackFile, path = STACK_FILE): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(file, null, 2));
}

export function removeStackFile(path = STACK_FILE): void {
  rmSync(path, { force: true });
}

/**
 * Applies a running local stack's variables to this process (unless they are set already).
 * FERRY_STACK_FILE (in the line `ferry up` prints) or FERRY_STACK names the file; else the nearest
 * `.ferry/stack.json` up from the current folder (findStackFile).
 */
export function useStackFile(path = findStackFile()): StackFile | undefined {
  if (path === undefined || !existsSync(path)) return undefined;
  let file: StackFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as StackFile;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message}); delete it, or restart \`ferry up\``);
  }
  if (
    typeof file?.env !== 'object' ||
    file.env === null ||
    typeof file.buckets?.artifacts !== 'string' ||
    typeof file.buckets?.state !== 'string'
  ) {
    throw new Error(`${path}: not a ferry stack file (env and buckets missing); delete it, or restart \`ferry up\``);
  }
  if (typeof file.pid === 'number' && !processAlive(file.pid))
    throw new Error(
      `${path}: the local stack is stopped (its process ${file.pid} is gone without removing this file); start it with \`ferry up\`, or delete the file`,
    );
  for (const [name, value] of Object.entries(file.env)) process.env[name] ??= value;
  return file;
}

/**
 * Signal 0 checks that a process exists without touching it: a stack whose process is gone
 * (killed with -9, a crash) is reported as stopped at once, rather than as a connection error
 * after the clients' retries. EPERM means it exists under another user.
 */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
