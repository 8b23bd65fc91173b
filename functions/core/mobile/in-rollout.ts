import { createHash } from 'node:crypto';

/** Remote Config's percentiles are micro-percents: 100 % = 100,000,000. */
export const MICRO_PERCENT_SPACE = 100_000_000n;

/**
 * An app instance's micro-percentile for a seed, as Remote Config computes it for a percent
 * condition: SHA-256 of `<seed>.<randomizationId>` read as one unsigned big-endian integer, modulo
 * 100,000,000 (firebase-admin 13.10 `lib/remote-config/condition-evaluator-internal.js`,
 * `evaluatePercentCondition` and `hashSeededRandomizationId`).
 */
export function microPercentile(seed: string, randomizationId: string): bigint {
  const digest = createHash('sha256').update(`${seed}.${randomizationId}`).digest();
  // Byte by byte, the way the Swift snippet in the README does it (no big integers needed there).
  let rest = 0n;
  for (const byte of digest) rest = (rest * 256n + BigInt(byte)) % MICRO_PERCENT_SPACE;
  return rest;
}

/**
 * Whether an app instance falls inside `percent('<seed>') between 0 and <percent>`: Remote
 * Config's BETWEEN is lower-exclusive, upper-inclusive over micro-percents (same file). The one rule
 * the manifest's `rollout` entry asks apps to apply; the README's Kotlin and Swift do exactly this.
 */
export function inRollout(seed: string, installationId: string, percent: number): boolean {
  const upper = BigInt(Math.round(percent * 1_000_000));
  const point = microPercentile(seed, installationId);
  return point > 0n && point <= upper;
}
