// Shares of one whole that add up to exactly 100 %: rounded to one decimal by the largest-remainder
// method, so a table never shows 33.3 + 33.3 + 33.3 = 99.9.

/** Percentages (one decimal) of each count in the total; they sum to 100.0 unless the total is 0. */
export function sharesOf(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const tenths = counts.map((c) => (c * 1000) / total);
  const floors = tenths.map(Math.floor);
  let left = 1000 - floors.reduce((a, b) => a + b, 0);
  const order = tenths.map((t, i) => ({ i, rest: t - floors[i] })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return floors.map((f) => f / 10);
}

/** a rate in percent with one decimal, or null when there is nothing to divide by */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part * 1000) / whole) / 10 : null;
}
