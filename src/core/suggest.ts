// "Did you mean" suggestions for unknown names (models, GPUs, recipes, commands).

export function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[b.length]!;
}

/** Closest candidates (case-insensitive), best first; substring matches count as close. */
export function suggest(name: string, candidates: readonly string[], max = 3): string[] {
  const needle = name.toLowerCase();
  return candidates
    .map((c) => {
      const hay = c.toLowerCase();
      const contains = hay.includes(needle) || needle.includes(hay);
      return { c, d: contains ? 0.5 : levenshtein(needle, hay) };
    })
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)))
    .sort((x, y) => x.d - y.d)
    .slice(0, max)
    .map(({ c }) => c);
}

export function didYouMean(name: string, candidates: readonly string[]): string {
  const close = suggest(name, candidates);
  return close.length ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : `known: ${candidates.join(', ')}`;
}
