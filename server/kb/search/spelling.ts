// Typo tolerance against the knowledge base's own words: a longer query word the KB never uses is read
// as the KB word one edit away (a letter missing, extra, wrong, or two neighbours swapped), the most
// frequent one when several are. Words the KB uses are never touched, so a correctly spelled question
// ranks exactly as before: tolerance costs no precision where there was no typo.

/** Words shorter than this are left alone: one edit turns a short word into too many others. */
export const MIN_TYPO_LENGTH = 5;

export interface SpellingCorrector {
  /** the KB word meant by an unknown word, or undefined (known, too short, or no single close word) */
  correct(word: string): string | undefined;
}

/** Each single-letter deletion of a word (the keys of a SymSpell-style lookup with distance 1). */
function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** True when b is at most one edit from a: insertion, deletion, substitution or adjacent transposition. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length - short.length > 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length === long.length) {
    if (short.slice(i + 1) === long.slice(i + 1)) return true; // substitution
    return i + 1 < short.length && short[i] === long[i + 1] && short[i + 1] === long[i] && short.slice(i + 2) === long.slice(i + 2); // swap
  }
  return short.slice(i) === long.slice(i + 1); // one letter more in the longer word
}

/** `words` are the KB's folded words, repeats included (they count as frequency), or each word with its count. */
export function createSpellingCorrector(words: Iterable<string> | ReadonlyMap<string, number>, minLength = MIN_TYPO_LENGTH): SpellingCorrector {
  const counts = words instanceof Map ? (words as ReadonlyMap<string, number>) : undefined;
  const frequency = new Map<string, number>(counts);
  if (!counts) for (const w of words as Iterable<string>) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  // a key (a word, or a word with one letter deleted) -> the KB words that produce it
  const byKey = new Map<string, string[]>();
  const add = (key: string, word: string) => {
    const list = byKey.get(key);
    if (!list) byKey.set(key, [word]);
    else if (list[list.length - 1] !== word) list.push(word);
  };
  for (const word of frequency.keys()) {
    if (word.length < minLength - 1 || /\d/.test(word)) continue;
    add(word, word);
    for (const d of deletions(word)) add(d, word);
  }
  const cache = new Map<string, string | undefined>();
  return {
    correct(word) {
      if (word.length < minLength || frequency.has(word) || /\d/.test(word)) return undefined;
      if (cache.has(word)) return cache.get(word);
      let best: string | undefined;
      for (const key of [word, ...deletions(word)]) {
        for (const candidate of byKey.get(key) ?? []) {
          if (candidate === best || !withinOneEdit(word, candidate)) continue;
          const better = best === undefined || frequency.get(candidate)! > frequency.get(best)! || (frequency.get(candidate) === frequency.get(best) && candidate < best);
          if (better) best = candidate;
        }
      }
      if (cache.size > 10_000) cache.clear();
      cache.set(word, best);
      return best;
    },
  };
}
