// The best-matching passage of each article: a question often restates one sentence of the answer
// (or one alternative question) and little else, which the classifier, summing over all an article
// says, can under-rate. The training examples' own feature vectors are kept per article, and the
// closest one to the query (cosine of the TF-IDF vectors) speaks for the article. Only the leading
// candidates are looked at, so a query costs a few hundred small dot products on any KB.
import type { SparseVector } from './features.js';

export interface PassageIndexData {
  /** the examples of article a are exampleStart[articleStart[a]] .. exampleStart[articleStart[a + 1]] */
  articleStart: Int32Array;
  /** example e's features are indices/values[exampleStart[e] .. exampleStart[e + 1]) */
  exampleStart: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** The examples' vectors grouped by article (labels: the article number of each example). */
export function passageIndex(vectors: SparseVector[], labels: number[], articles: number): PassageIndexData {
  const order = vectors.map((_, i) => i).sort((a, b) => labels[a] - labels[b] || a - b);
  const articleStart = new Int32Array(articles + 1);
  for (const l of labels) articleStart[l + 1]++;
  for (let a = 0; a < articles; a++) articleStart[a + 1] += articleStart[a];
  const exampleStart = new Int32Array(vectors.length + 1);
  order.forEach((i, e) => (exampleStart[e + 1] = exampleStart[e] + vectors[i].indices.length));
  const indices = new Int32Array(exampleStart[vectors.length]);
  const values = new Float32Array(exampleStart[vectors.length]);
  order.forEach((i, e) => {
    indices.set(vectors[i].indices, exampleStart[e]);
    values.set(vectors[i].values, exampleStart[e]);
  });
  return { articleStart, exampleStart, indices, values };
}

export class PassageScorer {
  /** the query's value per feature, set for one query at a time (zero elsewhere) */
  private readonly dense: Float32Array;

  constructor(
    private readonly data: PassageIndexData,
    features: number,
  ) {
    this.dense = new Float32Array(features);
  }

  /** For each of the given articles, the highest dot product of the query with one of its examples. */
  bestMatches(query: SparseVector, articles: number[]): number[] {
    const { articleStart, exampleStart, indices, values } = this.data;
    query.indices.forEach((f, j) => (this.dense[f] = query.values[j]));
    const best = articles.map((a) => {
      let max = 0;
      for (let e = articleStart[a]; e < articleStart[a + 1]; e++) {
        let dot = 0;
        for (let p = exampleStart[e]; p < exampleStart[e + 1]; p++) dot += this.dense[indices[p]] * values[p];
        if (dot > max) max = dot;
      }
      return max;
    });
    for (const f of query.indices) this.dense[f] = 0;
    return best;
  }
}
