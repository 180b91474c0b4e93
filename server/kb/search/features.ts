// TF-IDF features for the classifier: word terms plus character 3-4-grams inside each word, each block
// with sublinear tf and its own L2 norm (character n-grams carry typos, inflections and compounds).
import type { AnalyzedText } from './analysis.js';
import { IntList } from './int-list.js';

/** A sparse, L2-normalised feature vector: parallel arrays of feature indices and values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface FeatureOptions {
  /** shortest and longest character n-gram inside a word */
  minGram: number;
  maxGram: number;
  /** weight of the word block against the character block (each is L2-normalised first) */
  wordWeight: number;
}

export const DEFAULT_FEATURES: FeatureOptions = { minGram: 3, maxGram: 4, wordWeight: 1 };

export interface FeatureSpaceData {
  names: string[];
  idf: Float32Array;
  options: FeatureOptions;
}

function rawCounts(text: AnalyzedText, options: FeatureOptions): { words: Map<string, number>; grams: Map<string, number> } {
  const words = new Map<string, number>();
  for (const t of text.terms) words.set(t, (words.get(t) ?? 0) + 1);
  const grams = new Map<string, number>();
  for (const w of text.words) {
    const padded = ` ${w} `;
    for (let n = options.minGram; n <= options.maxGram; n++) {
      for (let i = 0; i + n <= padded.length; i++) {
        const g = padded.slice(i, i + n);
        grams.set(g, (grams.get(g) ?? 0) + 1);
      }
    }
  }
  return { words, grams };
}

/** How many features a training text has (all of them are in the space fitted on the training texts). */
export function featureCount(text: AnalyzedText, options: FeatureOptions): number {
  const { words, grams } = rawCounts(text, options);
  return words.size + grams.size;
}

/** The feature vocabulary and IDF weights learnt from the training texts. */
export class FeatureSpace {
  /** feature number by word and by character n-gram (names are "w" + word, "c" + n-gram) */
  private readonly wordIndex = new Map<string, number>();
  private readonly gramIndex = new Map<string, number>();
  private constructor(
    readonly names: string[],
    readonly idf: Float32Array,
    readonly options: FeatureOptions,
  ) {
    names.forEach((name, i) => (name[0] === 'w' ? this.wordIndex : this.gramIndex).set(name.slice(1), i));
  }

  get size(): number {
    return this.names.length;
  }

  /**
   * The space of these training texts, and the texts as vectors in it (each text is counted once).
   * The same vectors as `vectorize` gives for each text, computed without a map per text: features get
   * numbers as they are first seen (a word's character n-grams are cut once per distinct word), each
   * text's counts go to flat arrays in first-seen order, and the numbers are then renumbered to the
   * sorted names. On ten thousand articles (180,000 texts) a map per text held gigabytes.
   */
  static fit(texts: AnalyzedText[], options: FeatureOptions = DEFAULT_FEATURES): { space: FeatureSpace; vectors: SparseVector[] } {
    const counted = countFeatures(texts, options);
    const { keys, df } = counted;
    const order = Int32Array.from(keys.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
    const names = Array.from(order, (k) => keys[k]);
    const index = new Int32Array(keys.length);
    order.forEach((k, i) => (index[k] = i));
    const idf = new Float32Array(names.length);
    names.forEach((_, i) => (idf[i] = Math.log((1 + texts.length) / (1 + df[order[i]])) + 1));
    const space = new FeatureSpace(names, idf, options);
    // all vectors are views on two arrays; values of one text in a scratch array until sorted
    const { features, counts } = counted;
    const allIndices = new Int32Array(features.length);
    const allValues = new Float32Array(features.length);
    let longest = 0;
    for (let t = 0; t < texts.length; t++) longest = Math.max(longest, counted.start[t + 1] - counted.start[t]);
    const values = new Float64Array(longest);
    const sortKeys = new Float64Array(longest);
    const vectors = texts.map((_, t): SparseVector => {
      const from = counted.start[t];
      const middle = counted.wordsEnd[t];
      const to = counted.start[t + 1];
      const length = to - from;
      // each block (the text's words, then its n-grams) L2-normalised on its own, summed in first-seen order
      const block = (blockFrom: number, blockTo: number, weight: number) => {
        let norm = 0;
        for (let p = blockFrom; p < blockTo; p++) {
          const v = (1 + Math.log(counts[p])) * idf[index[features[p]]];
          values[p - from] = v;
          norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) for (let p = blockFrom; p < blockTo; p++) values[p - from] = (values[p - from] * weight) / norm;
      };
      block(from, middle, options.wordWeight);
      block(middle, to, 1);
      // ascending feature order (the classifier lays out its per-example weight tables that way):
      // sort feature * length + slot, numbers exact far beyond any vocabulary
      for (let k = 0; k < length; k++) sortKeys[k] = index[features[from + k]] * length + k;
      const sorted = sortKeys.subarray(0, length).sort();
      for (let r = 0; r < length; r++) {
        const k = sorted[r] % length;
        allIndices[from + r] = index[features[from + k]];
        allValues[from + r] = values[k];
      }
      return { indices: allIndices.subarray(from, to), values: allValues.subarray(from, to) };
    });
    return { space, vectors };
  }

  static fromData(data: FeatureSpaceData): FeatureSpace {
    return new FeatureSpace(data.names, data.idf, data.options);
  }

  toData(): FeatureSpaceData {
    return { names: this.names, idf: this.idf, options: this.options };
  }

  vectorize(text: AnalyzedText): SparseVector {
    return this.vectorizeCounts(rawCounts(text, this.options));
  }

  private vectorizeCounts({ words, grams }: { words: Map<string, number>; grams: Map<string, number> }): SparseVector {
    const found = new Map<number, number>();
    const block = (counts: Map<string, number>, index: Map<string, number>, weight: number) => {
      const added: number[] = [];
      let norm = 0;
      for (const [key, count] of counts) {
        const i = index.get(key);
        if (i === undefined) continue;
        const v = (1 + Math.log(count)) * this.idf[i];
        found.set(i, v);
        added.push(i);
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      if (norm > 0) for (const i of added) found.set(i, (found.get(i)! * weight) / norm);
    };
    block(words, this.wordIndex, this.options.wordWeight);
    block(grams, this.gramIndex, 1);
    // ascending feature order: the classifier lays out its per-example weight tables that way
    const indices = Int32Array.from(found.keys()).sort();
    const values = Float32Array.from(indices, (i) => found.get(i)!);
    return { indices, values };
  }
}

/**
 * Every text's distinct features and their counts, as rawCounts finds them (words first, then n-grams,
 * each in first-seen order): text t's are features/counts[start[t] .. start[t+1]), its words before
 * wordsEnd[t]. Features are numbered as first seen; keys[k] is feature k's name ("w" + word, "c" + n-gram).
 */
function countFeatures(texts: AnalyzedText[], options: FeatureOptions) {
  const keys: string[] = [];
  const wordNumber = new Map<string, number>();
  const gramNumber = new Map<string, number>();
  const gramsOfWord = new Map<string, Int32Array>();
  const df = new IntList();
  const lastText = new IntList();
  const slot = new IntList();
  const features = new IntList();
  const counts = new IntList();
  const start = new Int32Array(texts.length + 1);
  const wordsEnd = new Int32Array(texts.length);
  const numberOf = (table: Map<string, number>, key: string, name: string): number => {
    let k = table.get(key);
    if (k === undefined) {
      table.set(key, (k = keys.length));
      keys.push(name);
      df.push(0);
      lastText.push(-1);
      slot.push(0);
    }
    return k;
  };
  const grams = (word: string): Int32Array => {
    let found = gramsOfWord.get(word);
    if (!found) {
      const list: number[] = [];
      const padded = ` ${word} `;
      for (let n = options.minGram; n <= options.maxGram; n++) {
        for (let i = 0; i + n <= padded.length; i++) {
          const g = padded.slice(i, i + n);
          list.push(numberOf(gramNumber, g, `c${g}`));
        }
      }
      gramsOfWord.set(word, (found = Int32Array.from(list)));
    }
    return found;
  };
  texts.forEach((text, t) => {
    const count = (k: number) => {
      if (lastText.get(k) === t) counts.set(slot.get(k), counts.get(slot.get(k)) + 1);
      else {
        lastText.set(k, t);
        slot.set(k, features.length);
        df.set(k, df.get(k) + 1);
        features.push(k);
        counts.push(1);
      }
    };
    start[t] = features.length;
    for (const term of text.terms) count(numberOf(wordNumber, term, `w${term}`));
    wordsEnd[t] = features.length;
    for (const word of text.words) for (const k of grams(word)) count(k);
  });
  start[texts.length] = features.length;
  return { keys, df: df.view(), features: features.view(), counts: counts.view(), start, wordsEnd };
}
