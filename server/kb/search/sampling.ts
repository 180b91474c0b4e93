// Samples that bound the work on a large KB (the calibration's questions, the category model's examples).

/** Every n-th item, so that at most `count` remain (arrays of one length give items at the same places). */
export function evenly<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]);
}
