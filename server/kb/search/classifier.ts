// Multinomial logistic regression (softmax over articles) on sparse features, trained with L-BFGS.
// Small on purpose: a few-shot KB has tens of examples per article, so a linear model trained in a
// second beats heuristics, and there is no well-kept JS library for it.
// On a large KB, each example (and each query) is contrasted only with the articles whose centroids
// are most similar to it, and a weight exists only for a feature and an article that some example
// brings together: training stays within seconds and memory within megabytes on a thousand articles.
import type { SparseVector } from './features.js';
import { IntList } from './int-list.js';

export interface TrainingOptions {
  /** L2 penalty on the weights (objective: sum of cross-entropies + l2/2 ||W||^2) */
  l2: number;
  /** L-BFGS steps at most: fewer on a large KB, so that training does the same work (TRAINING_WORK) */
  iterations: number;
  /** exactly this many steps (cross-validation copies the full model's training this way) */
  exactIterations?: number;
  /** (feature, article) pairs one training pass may touch: sets how many rivals each example gets */
  budget: number;
  /** never fewer rivals than this (unless the KB has fewer articles) */
  minRivals: number;
  /** scale of the centroid weights training starts from */
  warmStart: number;
  /** exactly this many rivals (cross-validation copies the full model's contrast this way) */
  rivals?: number;
}

export interface ClassifierData {
  classes: number;
  /** for feature f, its weights are weights[rowStart[f] .. rowStart[f+1]), for the classes in columns[] (sorted) */
  rowStart: Int32Array;
  columns: Int32Array;
  weights: Float32Array;
  bias: Float32Array;
  /** how many articles besides its own each example was contrasted with; queries get one more */
  rivals: number;
  /** article centroids as an inverted index by feature */
  centroidStart: Int32Array;
  centroidColumns: Int32Array;
  centroidValues: Float32Array;
}

export type CentroidIndex = Pick<ClassifierData, 'centroidStart' | 'centroidColumns' | 'centroidValues'>;

/** Postings one centroid lookup may read: rare (telling) features first, the commonest are skipped on a big KB. */
export const CENTROID_POSTINGS_BUDGET = 5_000;

export class SoftmaxClassifier {
  constructor(readonly data: ClassifierData) {}

  /** The articles the query is contrasted with and their probabilities, best first. */
  predict(x: SparseVector): Array<{ article: number; probability: number }> {
    const { rowStart, columns, weights, bias, classes, rivals } = this.data;
    const candidates = rivals + 1 >= classes ? allClasses(classes, -1) : nearestCentroids(x, this.data, classes, rivals + 1, -1);
    const scores = new Float64Array(candidates.length);
    for (let k = 0; k < candidates.length; k++) scores[k] = bias[candidates[k]];
    for (let j = 0; j < x.indices.length; j++) {
      const f = x.indices[j];
      const from = rowStart[f];
      const to = rowStart[f + 1];
      if (from === to) continue;
      for (let k = 0; k < candidates.length; k++) {
        const p = find(columns, from, to, candidates[k]);
        if (p >= 0) scores[k] += x.values[j] * weights[p];
      }
    }
    softmaxInPlace(scores);
    return candidates.map((article, k) => ({ article, probability: scores[k] })).sort((a, b) => b.probability - a.probability || a.article - b.article);
  }

  static train(examples: SparseVector[], labels: number[], features: number, classes: number, options: TrainingOptions, exampleWeights?: number[]): SoftmaxClassifier {
    const exampleWeight = Float64Array.from(examples, (_, i) => exampleWeights?.[i] ?? 1);
    const examplesOf = examplesByFeature(examples, features);
    const centroids = centroidIndex(labels, features, classes, exampleWeight, examplesOf);
    const rivals = options.rivals !== undefined ? Math.min(classes - 1, options.rivals) : rivalCount(examples.reduce((sum, x) => sum + x.indices.length, 0), classes, options);
    // each example is contrasted with its own article first, then its rivals: k candidates each, flat
    const k = rivals + 1;
    const candidates = new Int32Array(examples.length * k);
    const leaders = rowLeaders(centroids, rivals + 1);
    examples.forEach((x, i) => {
      candidates[i * k] = labels[i];
      candidates.set(rivals === classes - 1 ? allClasses(classes, labels[i]) : nearestCentroids(x, centroids, classes, rivals, labels[i], leaders), i * k + 1);
    });

    // Weights exist for each (feature, article) pair some example brings together. Built feature by
    // feature with a stamp array: no per-pair hashing, linear in the number of pairs.
    const offsets = new Int32Array(examples.length + 1);
    examples.forEach((x, i) => (offsets[i + 1] = offsets[i] + x.indices.length * k));
    const pairs = new Int32Array(offsets[examples.length]);
    const featureSlot = new Int32Array(examples.length);
    const rowStart = new Int32Array(features + 1);
    const columnList = new IntList();
    const stamp = new Int32Array(classes).fill(-1);
    const position = new Int32Array(classes);
    const row = new Int32Array(classes);
    const centroidSlot = new Int32Array(centroids.centroidColumns.length);
    for (let f = 0; f < features; f++) {
      let length = 0;
      for (let e = examplesOf.start[f]; e < examplesOf.start[f + 1]; e++) {
        const at = examplesOf.example[e] * k;
        for (let c = 0; c < k; c++) {
          const article = candidates[at + c];
          if (stamp[article] !== f) {
            stamp[article] = f;
            row[length++] = article;
          }
        }
      }
      const sorted = row.subarray(0, length).sort();
      for (let r = 0; r < length; r++) {
        position[sorted[r]] = rowStart[f] + r;
        columnList.push(sorted[r]);
      }
      rowStart[f + 1] = rowStart[f] + length;
      // where each centroid value of this feature starts training (its article's weight in this row)
      for (let p = centroids.centroidStart[f]; p < centroids.centroidStart[f + 1]; p++) {
        const article = centroids.centroidColumns[p];
        centroidSlot[p] = stamp[article] === f ? position[article] : -1;
      }
      for (let e = examplesOf.start[f]; e < examplesOf.start[f + 1]; e++) {
        const i = examplesOf.example[e];
        // an example's features are in ascending order, so f is its next feature row
        const at = offsets[i] + featureSlot[i]++ * k;
        for (let c = 0; c < k; c++) pairs[at + c] = position[candidates[i * k + c]];
      }
    }
    const columns = columnList.toArray();
    const size = columns.length;

    // The passes over the examples read and write single-precision copies laid out article by article
    // (an example's reads then stay within its few candidates' blocks instead of jumping across rows of
    // thousands of articles): slot[p] is weight p's place in them. The same values, added up in the
    // same order: only where they sit in memory differs.
    const slot = articleMajor(rowStart, columns, classes);
    for (let p = 0; p < pairs.length; p++) pairs[p] = slot[pairs[p]];
    const scores = new Float64Array(classes);
    const weights32 = new Float32Array(size + classes);
    const grad32 = new Float32Array(size + classes);
    const objective = (w: Float64Array, grad: Float64Array): number => {
      for (let p = 0; p < size; p++) weights32[slot[p]] = w[p];
      for (let p = size; p < size + classes; p++) weights32[p] = w[p];
      grad32.fill(0);
      let loss = 0;
      for (let i = 0; i < examples.length; i++) {
        const x = examples[i];
        const first = i * k;
        for (let c = 0; c < k; c++) scores[c] = weights32[size + candidates[first + c]];
        for (let j = 0, at = offsets[i]; j < x.indices.length; j++, at += k) {
          const v = x.values[j];
          for (let c = 0; c < k; c++) scores[c] += v * weights32[pairs[at + c]];
        }
        // softmax over the first k scores
        let max = -Infinity;
        for (let c = 0; c < k; c++) if (scores[c] > max) max = scores[c];
        let sum = 0;
        for (let c = 0; c < k; c++) sum += scores[c] = Math.exp(scores[c] - max);
        const weight = exampleWeight[i];
        for (let c = 0; c < k; c++) scores[c] /= sum;
        loss -= weight * Math.log(Math.max(scores[0], 1e-300));
        scores[0] -= 1;
        if (weight !== 1) for (let c = 0; c < k; c++) scores[c] *= weight;
        for (let j = 0, at = offsets[i]; j < x.indices.length; j++, at += k) {
          const v = x.values[j];
          for (let c = 0; c < k; c++) grad32[pairs[at + c]] += v * scores[c];
        }
        for (let c = 0; c < k; c++) grad32[size + candidates[first + c]] += scores[c];
      }
      for (let p = 0; p < size; p++) grad[p] = grad32[slot[p]];
      for (let p = size; p < size + classes; p++) grad[p] = grad32[p];
      for (let p = 0; p < size; p++) {
        loss += 0.5 * options.l2 * w[p] * w[p];
        grad[p] += options.l2 * w[p];
      }
      return loss;
    };
    // start from the nearest-centroid classifier: half the iterations reach the same accuracy
    const start = new Float64Array(size + classes);
    for (let p = 0; p < centroidSlot.length; p++) if (centroidSlot[p] >= 0) start[centroidSlot[p]] = options.warmStart * centroids.centroidValues[p];
    const w = lbfgs(objective, start, options.exactIterations ?? iterationCount(offsets[examples.length], options.iterations));
    return new SoftmaxClassifier({
      classes,
      rowStart,
      columns,
      weights: Float32Array.from(w.subarray(0, size)),
      bias: Float32Array.from(w.subarray(size)),
      rivals,
      ...centroids,
    });
  }
}

/**
 * (example feature, article) pairs all training steps together may evaluate: a pass over more than
 * 6 M pairs gets fewer steps. Measured: 1,000 generated articles (7.1 M pairs) 10 -> 8 steps, training a
 * fifth shorter and top-1 60.0 -> 63.2 % (the early stop regularises); Banking77 with 20 questions per
 * article (7.9 M) 10 -> 7 steps, top-1 82.8 -> 83.2 %; Banking77 with 10 (5.4 M) keeps all 10.
 */
export const TRAINING_WORK = 60_000_000;
const MIN_ITERATIONS = 5;

/** The L-BFGS steps for a training pass over this many pairs. */
export function iterationCount(pairs: number, maxIterations: number): number {
  return Math.min(maxIterations, Math.max(MIN_ITERATIONS, Math.floor(TRAINING_WORK / Math.max(1, pairs))));
}

/** How many rivals each example gets: as many as the work budget allows, all articles on a small KB. */
export function rivalCount(featuresInAllExamples: number, classes: number, options: Pick<TrainingOptions, 'budget' | 'minRivals'>): number {
  return Math.min(classes - 1, Math.max(options.minRivals, Math.floor(options.budget / Math.max(1, featuresInAllExamples)) - 1));
}

function allClasses(classes: number, except: number): number[] {
  const all: number[] = [];
  for (let c = 0; c < classes; c++) if (c !== except) all.push(c);
  return all;
}

/** Position of value in sorted[from, to), or -1. */
function find(sorted: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else if (sorted[mid] > value) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** For weights laid out feature by feature (rows), each one's place when laid out article by article. */
function articleMajor(rowStart: Int32Array, columns: Int32Array, classes: number): Int32Array {
  const next = new Int32Array(classes + 1);
  for (const c of columns) next[c + 1]++;
  for (let c = 0; c < classes; c++) next[c + 1] += next[c];
  const slot = new Int32Array(columns.length);
  for (let f = 0; f + 1 < rowStart.length; f++) for (let p = rowStart[f]; p < rowStart[f + 1]; p++) slot[p] = next[columns[p]]++;
  return slot;
}

/** For each feature, the examples that have it (ascending): example[start[f] .. start[f+1]). */
interface ExamplesByFeature {
  start: Int32Array;
  example: Int32Array;
  /** that example's value of the feature */
  value: Float32Array;
}

function examplesByFeature(examples: SparseVector[], features: number): ExamplesByFeature {
  const start = new Int32Array(features + 1);
  for (const x of examples) for (const f of x.indices) start[f + 1]++;
  for (let f = 0; f < features; f++) start[f + 1] += start[f];
  const next = start.slice(0, features);
  const example = new Int32Array(start[features]);
  const value = new Float32Array(start[features]);
  for (let i = 0; i < examples.length; i++) {
    const { indices, values } = examples[i];
    for (let j = 0; j < indices.length; j++) {
      const at = next[indices[j]]++;
      example[at] = i;
      value[at] = values[j];
    }
  }
  return { start, example, value };
}

/**
 * Each article's summed example vectors, normalised, as an inverted index by feature (in each row the
 * articles in the order their first example comes; sums and norms added up in example order).
 */
function centroidIndex(labels: number[], features: number, classes: number, weight: Float64Array, examplesOf: ExamplesByFeature): CentroidIndex {
  const centroidStart = new Int32Array(features + 1);
  const columnList = new IntList();
  const sums: number[] = [];
  const norms = new Float64Array(classes);
  const sum = new Float64Array(classes);
  const stamp = new Int32Array(classes).fill(-1);
  for (let f = 0; f < features; f++) {
    const rowFrom = columnList.length;
    for (let e = examplesOf.start[f]; e < examplesOf.start[f + 1]; e++) {
      const i = examplesOf.example[e];
      const c = labels[i];
      const v = weight[i] * examplesOf.value[e];
      if (stamp[c] !== f) {
        stamp[c] = f;
        columnList.push(c);
        sum[c] = v;
      } else sum[c] += v;
    }
    for (let p = rowFrom; p < columnList.length; p++) {
      const c = columnList.get(p);
      sums.push(sum[c]);
      norms[c] += sum[c] * sum[c];
    }
    centroidStart[f + 1] = columnList.length;
  }
  const centroidColumns = columnList.toArray();
  const centroidValues = Float32Array.from(sums, (v, p) => v / Math.sqrt(norms[centroidColumns[p]]));
  return { centroidStart, centroidColumns, centroidValues };
}

/**
 * For each centroid row, on first use: the positions in it whose values are among its `keep` highest
 * (ties at the boundary included), in row order; undefined for a row shorter than that or with a value
 * that is not positive (nearestCentroids then reads the whole row).
 */
export type RowLeaders = (f: number) => Int32Array | undefined;

export function rowLeaders(index: CentroidIndex, keep: number): RowLeaders {
  const cache = new Map<number, Int32Array | undefined>();
  const top = new Float64Array(keep);
  return (f) => {
    if (cache.has(f)) return cache.get(f);
    const from = index.centroidStart[f];
    const to = index.centroidStart[f + 1];
    let leaders: Int32Array | undefined;
    if (to - from >= keep) {
      // the keep-th highest value, counting repeats
      top.fill(-Infinity);
      let positive = true;
      for (let p = from; p < to; p++) {
        const v = index.centroidValues[p];
        if (!(v > 0)) positive = false;
        if (v <= top[keep - 1]) continue;
        let at = keep - 1;
        while (at > 0 && top[at - 1] < v) top[at] = top[--at];
        top[at] = v;
      }
      if (positive) {
        const list: number[] = [];
        for (let p = from; p < to; p++) if (index.centroidValues[p] >= top[keep - 1]) list.push(p);
        leaders = Int32Array.from(list);
      }
    }
    cache.set(f, leaders);
    return leaders;
  };
}

/**
 * The `count` best of a row for a query of that one feature (value > 0): its similarities are the row's
 * values times that value, so in the same order; the row's leaders (its count + 1 highest, see
 * rowLeaders) hold every article the whole row would yield once `except` is left out, and considering
 * only them in row order keeps the same ones, tie for tie: an article below the count-th highest value
 * can only take a place that a later article at or above it takes back.
 */
function bestOfRow(leaders: Int32Array, index: CentroidIndex, count: number, except: number): number[] {
  const best: number[] = [];
  const value: number[] = [];
  for (const p of leaders) {
    const c = index.centroidColumns[p];
    if (c === except) continue;
    const v = index.centroidValues[p];
    if (best.length === count && !(v > value[count - 1])) continue;
    let at = best.length === count ? count - 1 : best.length;
    while (at > 0 && (value[at - 1] < v || (value[at - 1] === v && best[at - 1] > c))) {
      best[at] = best[at - 1];
      value[at] = value[at - 1];
      at--;
    }
    best[at] = c;
    value[at] = v;
  }
  return best;
}

/** The `count` classes (other than `except`) whose centroids are most similar to x, best first (exported for tests). */
export function nearestCentroids(x: SparseVector, index: CentroidIndex, classes: number, count: number, except: number, leaders?: RowLeaders): number[] {
  const similarity = scratch(classes);
  const touched: number[] = [];
  const add = (j: number) => {
    const f = x.indices[j];
    for (let p = index.centroidStart[f]; p < index.centroidStart[f + 1]; p++) {
      const c = index.centroidColumns[p];
      if (similarity[c] === 0) touched.push(c);
      similarity[c] += x.values[j] * index.centroidValues[p];
    }
  };
  let total = 0;
  for (let j = 0; j < x.indices.length; j++) total += postings(index, x.indices[j]);
  if (leaders && total > CENTROID_POSTINGS_BUDGET) {
    // the budget reads the rarest feature (fewest postings, first in x on a tie) and maybe the next ones:
    // when the next does not fit, the similarities are that one row's values times x's value
    let first = -1;
    let second = -1;
    for (let j = 0; j < x.indices.length; j++) {
      const n = postings(index, x.indices[j]);
      if (first < 0 || n < postings(index, x.indices[first])) [first, second] = [j, first];
      else if (second < 0 || n < postings(index, x.indices[second])) second = j;
    }
    const only = second < 0 || postings(index, x.indices[first]) + postings(index, x.indices[second]) > CENTROID_POSTINGS_BUDGET;
    const rowLeaders = only && x.values[first] > 0 ? leaders(x.indices[first]) : undefined;
    if (rowLeaders) return bestOfRow(rowLeaders, index, count, except);
  }
  if (total <= CENTROID_POSTINGS_BUDGET) {
    for (let j = 0; j < x.indices.length; j++) add(j);
  } else {
    // rare (telling) features first, until the budget is spent
    const order = Array.from(x.indices.keys()).sort((a, b) => postings(index, x.indices[a]) - postings(index, x.indices[b]) || a - b);
    let read = 0;
    for (const j of order) {
      const n = postings(index, x.indices[j]);
      if (read > 0 && read + n > CENTROID_POSTINGS_BUDGET) break;
      read += n;
      add(j);
    }
  }
  // keep the best `count` in a small sorted list (count is far below the number of classes here);
  // classes no feature reached score 0 and come after every touched one, lowest number first
  const best: number[] = [];
  const consider = (c: number) => {
    if (c === except) return;
    if (best.length === count && !(similarity[c] > similarity[best[count - 1]])) return;
    let at = best.length === count ? count - 1 : best.length;
    while (at > 0 && (similarity[best[at - 1]] < similarity[c] || (similarity[best[at - 1]] === similarity[c] && best[at - 1] > c))) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = c;
  };
  for (const c of touched) consider(c);
  for (let c = 0; c < classes && best.length < count; c++) if (similarity[c] === 0) consider(c);
  for (const c of touched) similarity[c] = 0;
  return best;
}

let scratchBuffer = new Float64Array(0);
/** A zeroed buffer of at least n numbers, reused between calls (callers zero what they touched). */
function scratch(n: number): Float64Array {
  if (scratchBuffer.length < n) scratchBuffer = new Float64Array(n);
  return scratchBuffer;
}

function postings(index: CentroidIndex, f: number): number {
  return index.centroidStart[f + 1] - index.centroidStart[f];
}

export function softmaxInPlace(a: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < a.length; k++) if (a[k] > max) max = a[k];
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    a[k] = Math.exp(a[k] - max);
    sum += a[k];
  }
  for (let k = 0; k < a.length; k++) a[k] /= sum;
}

/** Limited-memory BFGS with a backtracking (Armijo) line search; returns the parameters after `iterations` steps. */
export function lbfgs(f: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, iterations: number, memory = 5): Float64Array {
  const n = x0.length;
  // every vector of the search in one allocation: on a large KB each is tens of megabytes, and each
  // allocation of that size made the garbage collector walk the whole heap
  const history = Math.max(0, Math.min(memory, iterations));
  const block = new Float64Array(n * (5 + 2 * history));
  const vectors = Array.from({ length: 5 + 2 * history }, (_, v) => block.subarray(v * n, (v + 1) * n));
  const spare: Float64Array[] = vectors.slice(5);
  let [x, g, xNew, gNew] = vectors;
  const dir = vectors[4];
  x.set(x0);
  let fx = f(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  for (let iter = 0; iter < iterations; iter++) {
    // two-loop recursion: dir = -H g
    for (let i = 0; i < n; i++) dir[i] = -g[i];
    for (let m = s.length - 1; m >= 0; m--) {
      alpha[m] = rho[m] * dot(s[m], dir);
      axpy(-alpha[m], y[m], dir);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
      for (let i = 0; i < n; i++) dir[i] *= gamma;
    }
    for (let m = 0; m < s.length; m++) {
      const beta = rho[m] * dot(y[m], dir);
      axpy(alpha[m] - beta, s[m], dir);
    }
    let slope = dot(g, dir);
    if (slope >= 0) {
      // not a descent direction (numerical trouble): restart from steepest descent
      spare.push(...s, ...y);
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i];
      slope = dot(g, dir);
    }
    if (-slope < 1e-12) break;
    let step = s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 20; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * dir[i];
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx)) break;
    // reuse the oldest history vectors once the memory is full
    const sk = s.length === memory ? s.shift()! : spare.pop()!;
    const yk = y.length === memory ? y.shift()! : spare.pop()!;
    if (rho.length === memory) rho.shift();
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i] - x[i];
      yk[i] = gNew[i] - g[i];
    }
    const sy = dot(sk, yk);
    if (sy > 1e-10) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    } else spare.push(sk, yk);
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
  }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}
