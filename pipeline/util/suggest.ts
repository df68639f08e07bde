import { distance } from 'fastest-levenshtein';

/**
 * The known names closest to `input`, best first: names that contain it or share its prefix, then by
 * edit distance. Used for every "did you mean" in the CLI.
 */
export function nearest(input: string, known: Iterable<string>, max = 3): string[] {
  const needle = input.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of known) {
    const candidate = name.toLowerCase();
    let score = distance(needle, candidate);
    if (candidate.includes(needle) || needle.includes(candidate)) score -= 2;
    if (candidate.split(/[.-]/)[0] === needle.split(/[.-]/)[0]) score -= 1;
    if (score <= Math.max(3, Math.ceil(needle.length / 2))) scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, max).map((s) => s.name);
}

/** " Did you mean a, b?" or an empty string. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const names = nearest(input, known);
  return names.length ? ` Did you mean ${names.map((n) => `'${n}'`).join(' or ')}?` : '';
}
