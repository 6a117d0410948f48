// The known name closest to a mistyped one (edit distance), for "did you mean" hints.

/** Levenshtein distance between `a` and `b`: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The name in `known` nearest to `name` (compared without case), or null when none is close:
 * within 2 edits, and fewer edits than the shorter name is long (so "x" suggests nothing).
 * Ties go to the earlier name in `known`.
 */
export function nearestName(name: string, known: readonly string[]): string | null {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate);
    if (distance < bestDistance && distance <= 2 && distance < Math.min(lower.length, candidate.length)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
