import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const STACK_FILE = join('.ferry', 'stack.json');

/**
 * Where the running stack's file is, so commands work from any folder of the checkout: the path
 * in FERRY_STACK_FILE (what `ferry up` prints), or FERRY_STACK (the name issue 14 uses, taken as an
 * alias), else the nearest `.ferry/stack.json` walking up from `cwd`. Undefined when there is none.
 */
export function findStackFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const named = env.FERRY_STACK_FILE || env.FERRY_STACK;
  if (named) return named;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, STACK_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
