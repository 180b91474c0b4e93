// TF-IDF features for the classifier: word terms plus character 3-4-grams inside each word, each block
// with sublinear tf and its own L2 norm (character n-grams carry typos, inflections and compounds).
import type { AnalyzedText } from './analysis.js';

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

  /** The space of these training texts, and the texts as vectors in it (each text is counted once). */
  static fit(texts: AnalyzedText[], options: FeatureOptions = DEFAULT_FEATURES): { space: FeatureSpace; vectors: SparseVector[] } {
    const counts = texts.map((text) => rawCounts(text, options));
    const df = new Map<string, number>();
    for (const { words, grams } of counts) {
      for (const w of words.keys()) df.set(`w${w}`, (df.get(`w${w}`) ?? 0) + 1);
      for (const g of grams.keys()) df.set(`c${g}`, (df.get(`c${g}`) ?? 0) + 1);
    }
    const names = [...df.keys()].sort();
    const idf = new Float32Array(names.length);
    names.forEach((name, i) => (idf[i] = Math.log((1 + texts.length) / (1 + df.get(name)!)) + 1));
    const space = new FeatureSpace(names, idf, options);
    return { space, vectors: counts.map((c) => space.vectorizeCounts(c)) };
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
