import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * The `TOPICS.<key>` names an entry point's own code can publish to: its file and every module it
 * reaches through relative imports (not `./wiring`, which imports every adapter for every function).
 */
export function topicKeysReachedFrom(root: string, entrySource: string): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<string>();
  const queue = [join(root, entrySource)];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bTOPICS\.(\w+)/g)) keys.add(match[1]);
    for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      if (match[1] === './wiring') continue;
      const target = join(dirname(file), `${match[1]}.ts`);
      if (existsSync(target) && !relative(root, target).startsWith('functions/adapters')) queue.push(target);
    }
  }
  return keys;
}

/** `FERRY_*` variables a source file reads as `env.FERRY_X`, `env['FERRY_X']` or through a constant table. */
export function ferryEnvNames(text: string): Set<string> {
  return new Set([...text.matchAll(/\b(FERRY_[A-Z0-9_]+)\b/g)].map((m) => m[1]));
}
