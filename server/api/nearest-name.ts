// The known name closest to a mistyped one, for "did you mean" hints: the server's unknown query
// parameters and the client's unknown options and commands alike.

/** Edit distance (insert, delete, substitute, swap neighbours) between two short names. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `name` (compared without case): within 2 edits (1 for names of 4
 * letters or fewer), or one that `name` starts (`conn` for `connections`). Undefined when none
 * is close; ties go to the earlier name in `known`.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    if (candidate.length < 2) continue;
    const distance = candidate.startsWith(lower) && lower.length >= 3 ? 0.5 : editDistance(lower, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= (lower.length <= 4 ? 1 : 2) ? best : undefined;
}
