const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A whole number of seconds, minutes, hours or days (`45s`, `30m`, `24h`, `2d`) in milliseconds;
 * undefined for anything else. Used by workflow files (`approval.timeout`) and `ferry status --since`.
 */
export function durationMs(text: string): number | undefined {
  const found = /^(\d+)([smhd])$/.exec(text.trim());
  return found ? Number(found[1]) * UNIT_MS[found[2]] : undefined;
}
