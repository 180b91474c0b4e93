// Multinomial logistic regression (softmax over articles) on sparse features, trained with L-BFGS.
// Small on purpose: a few-shot KB has tens of examples per article, so a linear model trained in a
// second beats heuristics, and there is no well-kept JS library for it.
import type { SparseVector } from './features.js';

export interface TrainingOptions {
  /** L2 penalty on the weights (objective: sum of cross-entropies + l2/2 ||W||^2) */
  l2: number;
  iterations: number;
}

export interface ClassifierData {
  features: number;
  classes: number;
  /** row-major features x classes, then one bias per class */
  weights: Float32Array;
}

export class SoftmaxClassifier {
  constructor(readonly data: ClassifierData) {}

  /** Probabilities over all classes for one example. */
  predict(x: SparseVector, out = new Float64Array(this.data.classes)): Float64Array {
    const { classes: c, weights, features } = this.data;
    const biasAt = features * c;
    for (let k = 0; k < c; k++) out[k] = weights[biasAt + k];
    for (let j = 0; j < x.indices.length; j++) {
      const row = x.indices[j] * c;
      const v = x.values[j];
      for (let k = 0; k < c; k++) out[k] += v * weights[row + k];
    }
    softmaxInPlace(out);
    return out;
  }

  static train(examples: SparseVector[], labels: number[], features: number, classes: number, options: TrainingOptions): SoftmaxClassifier {
    const size = features * classes + classes;
    const scores = new Float64Array(classes);
    const objective = (w: Float64Array, grad: Float64Array): number => {
      grad.fill(0);
      let loss = 0;
      const biasAt = features * classes;
      for (let i = 0; i < examples.length; i++) {
        const x = examples[i];
        for (let k = 0; k < classes; k++) scores[k] = w[biasAt + k];
        for (let j = 0; j < x.indices.length; j++) {
          const row = x.indices[j] * classes;
          const v = x.values[j];
          for (let k = 0; k < classes; k++) scores[k] += v * w[row + k];
        }
        softmaxInPlace(scores);
        const y = labels[i];
        loss -= Math.log(Math.max(scores[y], 1e-300));
        scores[y] -= 1;
        for (let j = 0; j < x.indices.length; j++) {
          const row = x.indices[j] * classes;
          const v = x.values[j];
          for (let k = 0; k < classes; k++) grad[row + k] += v * scores[k];
        }
        for (let k = 0; k < classes; k++) grad[biasAt + k] += scores[k];
      }
      for (let i = 0; i < biasAt; i++) {
        loss += 0.5 * options.l2 * w[i] * w[i];
        grad[i] += options.l2 * w[i];
      }
      return loss;
    };
    const w = lbfgs(objective, new Float64Array(size), options.iterations);
    return new SoftmaxClassifier({ features, classes, weights: Float32Array.from(w) });
  }
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
export function lbfgs(f: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, iterations: number, memory = 8): Float64Array {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(n);
  const alpha = new Float64Array(memory);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
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
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i] - x[i];
      yk[i] = gNew[i] - g[i];
    }
    const sy = dot(sk, yk);
    if (sy > 1e-10) {
      if (s.length === memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
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
