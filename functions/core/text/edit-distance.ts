/**
 * Levenshtein distance (insertions, deletions and substitutions each cost 1): how "did you mean"
 * picks the nearest flag or workflow path. Inputs here are short (flags, bucket paths), so the
 * plain two-row dynamic programme is enough.
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate nearest to `text`, ties going to the earlier candidate (deterministic), or
 * undefined when even the nearest differs in more than `maxDistance` edits.
 */
export function nearest(text: string, candidates: readonly string[], maxDistance = Infinity): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(text, candidate);
    if (distance <= maxDistance && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
