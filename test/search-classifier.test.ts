import { describe, expect, it } from 'vitest';
import { CENTROID_POSTINGS_BUDGET, lbfgs, nearestCentroids, rowLeaders, SoftmaxClassifier } from '../server/kb/search/classifier.js';
import type { SparseVector } from '../server/kb/search/features.js';

const vector = (entries: Array<[number, number]>): SparseVector => {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  return { indices: Int32Array.from(sorted, (e) => e[0]), values: Float32Array.from(sorted, (e) => e[1]) };
};

describe('softmax classifier', () => {
  it('L-BFGS finds the minimum of a quadratic', () => {
    const target = [3, -2, 0.5];
    const f = (x: Float64Array, grad: Float64Array) => {
      let value = 0;
      x.forEach((xi, i) => {
        value += (i + 1) * (xi - target[i]) ** 2;
        grad[i] = 2 * (i + 1) * (xi - target[i]);
      });
      return value;
    };
    const x = lbfgs(f, new Float64Array(3), 50);
    x.forEach((xi, i) => expect(xi).toBeCloseTo(target[i], 4));
  });

  it('learns a small separable set and ranks the right class first', () => {
    // three classes, each with its own features (0-1, 2-3, 4-5) and one shared noise feature (6)
    const examples = [
      vector([[0, 0.9], [6, 0.4]]), vector([[1, 0.9], [6, 0.4]]), vector([[0, 0.7], [1, 0.7]]),
      vector([[2, 0.9], [6, 0.4]]), vector([[3, 0.9], [6, 0.4]]), vector([[2, 0.7], [3, 0.7]]),
      vector([[4, 0.9], [6, 0.4]]), vector([[5, 0.9], [6, 0.4]]), vector([[4, 0.7], [5, 0.7]]),
    ];
    const labels = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const model = SoftmaxClassifier.train(examples, labels, 7, 3, { l2: 0.1, iterations: 30, warmStart: 0, budget: 1e6, minRivals: 10 });
    examples.forEach((x, i) => expect(model.predict(x)[0].article).toBe(labels[i]));
    const unseenMix = model.predict(vector([[1, 0.6], [0, 0.6]]));
    expect(unseenMix[0].article).toBe(0);
    expect(unseenMix[0].probability).toBeGreaterThan(0.8);
    // probabilities sum to one
    expect(unseenMix.reduce((s, p) => s + p.probability, 0)).toBeCloseTo(1, 6);
    // a vector with only the shared feature is uncertain
    expect(model.predict(vector([[6, 1]]))[0].probability).toBeLessThan(0.6);
  });

  it('on a large KB contrasts each question with its nearest rivals only, and still ranks right', () => {
    const classes = 60;
    const examples: SparseVector[] = [];
    const labels: number[] = [];
    for (let c = 0; c < classes; c++) {
      for (let k = 0; k < 3; k++) {
        examples.push(vector([[c * 2, 0.8], [c * 2 + 1, 0.5], [classes * 2 + k, 0.3]]));
        labels.push(c);
      }
    }
    const model = SoftmaxClassifier.train(examples, labels, classes * 2 + 3, classes, { l2: 0.1, iterations: 20, warmStart: 10, budget: 1, minRivals: 5 });
    expect(model.data.rivals).toBe(5);
    const ranked = model.predict(vector([[20, 0.8], [21, 0.5]]));
    expect(ranked).toHaveLength(6);
    expect(ranked[0].article).toBe(10);
  });

  it('picks the same rivals from a row beyond the postings budget through its leaders as by reading it whole, ties included', () => {
    // three centroid rows over more articles than the budget reads; few distinct values, so many ties
    const classes = CENTROID_POSTINGS_BUDGET + 1000;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const rows = [classes, classes - 10, 40].map((length) => {
      const articles = Array.from({ length: classes }, (_, c) => c).sort(() => random() - 0.5).slice(0, length);
      return articles.map((c) => [c, [0.1, 0.2, 0.3, 0.5][Math.floor(random() * 4)]] as const);
    });
    const centroidStart = Int32Array.from([0, ...rows.map((_, f) => rows.slice(0, f + 1).reduce((n, r) => n + r.length, 0))]);
    const index = { centroidStart, centroidColumns: Int32Array.from(rows.flat(), ([c]) => c), centroidValues: Float32Array.from(rows.flat(), ([, v]) => v) };
    const count = 5;
    const leaders = rowLeaders(index, count + 1);
    const topOfFirstRow = rows[0].filter(([, v]) => v === 0.5).map(([c]) => c);
    let compared = 0;
    for (const x of [vector([[0, 0.7]]), vector([[0, 0.2], [1, 0.9]]), vector([[1, 0.4]]), vector([[0, 0.3], [2, 0.6]])]) {
      for (const except of [-1, ...topOfFirstRow.slice(0, 8), 3, 17]) {
        const fast = nearestCentroids(x, index, classes, count, except, leaders);
        expect(fast).toHaveLength(count);
        expect(fast).toEqual(nearestCentroids(x, index, classes, count, except));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
  });
});
