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
  idf: number[];
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
  private readonly index = new Map<string, number>();
  private constructor(
    readonly names: string[],
    readonly idf: Float32Array,
    readonly options: FeatureOptions,
  ) {
    names.forEach((name, i) => this.index.set(name, i));
  }

  get size(): number {
    return this.names.length;
  }

  /** `groups[i]` is the article of texts[i]: document frequency counts articles, not texts, when given */
  static fit(texts: AnalyzedText[], options: FeatureOptions = DEFAULT_FEATURES, groups?: number[]): FeatureSpace {
    const df = new Map<string, number>();
    const lastGroup = new Map<string, number>();
    const count = (name: string, i: number) => {
      const group = groups ? groups[i] : i;
      if (lastGroup.get(name) === group) return;
      lastGroup.set(name, group);
      df.set(name, (df.get(name) ?? 0) + 1);
    };
    texts.forEach((text, i) => {
      const { words, grams } = rawCounts(text, options);
      for (const w of words.keys()) count(`w${w}`, i);
      for (const g of grams.keys()) count(`c${g}`, i);
    });
    const names = [...df.keys()].sort();
    const n = groups ? new Set(groups).size : texts.length;
    const idf = new Float32Array(names.length);
    names.forEach((name, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(name)!)) + 1));
    return new FeatureSpace(names, idf, options);
  }

  static fromData(data: FeatureSpaceData): FeatureSpace {
    return new FeatureSpace(data.names, Float32Array.from(data.idf), data.options);
  }

  toData(): FeatureSpaceData {
    return { names: this.names, idf: Array.from(this.idf), options: this.options };
  }

  vectorize(text: AnalyzedText): SparseVector {
    const { words, grams } = rawCounts(text, this.options);
    const indices: number[] = [];
    const values: number[] = [];
    const block = (counts: Map<string, number>, prefix: string, weight: number) => {
      const start = values.length;
      let norm = 0;
      for (const [key, count] of counts) {
        const i = this.index.get(prefix + key);
        if (i === undefined) continue;
        const v = (1 + Math.log(count)) * this.idf[i];
        indices.push(i);
        values.push(v);
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      if (norm > 0) for (let k = start; k < values.length; k++) values[k] *= weight / norm;
    };
    block(words, 'w', this.options.wordWeight);
    block(grams, 'c', 1);
    // ascending feature order: the classifier lays out its per-example weight tables that way
    const order = Array.from(indices.keys()).sort((a, b) => indices[a] - indices[b]);
    return { indices: Int32Array.from(order, (k) => indices[k]), values: Float32Array.from(order, (k) => values[k]) };
  }
}
