// Task run on a training pool thread (loaded by train-worker-boot.mjs): trains one locale's article
// classifier, or the rest of its model, or cross-validates its calibration, so the server keeps answering from the previous index meanwhile.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { calibrateLocale, trainLocaleClassifier, trainLocaleSide, type TrainingInput } from './training.js';

export default function train({ input, task }: { input: TrainingInput; task: 'classifier' | 'side' | 'calibration' } | { input?: undefined; task: 'warm' }) {
  if (task === 'warm') return null; // loading this module was the point
  if (task === 'calibration') return calibrateLocale(input);
  // hand the big arrays over instead of copying them
  if (task === 'side') {
    const side = trainLocaleSide(input);
    const { lexical } = side;
    return move({ [transferableSymbol]: [lexical.start.buffer, lexical.articles.buffer, lexical.weights.buffer] as ArrayBuffer[], [valueSymbol]: side } as never);
  }
  const core = trainLocaleClassifier(input);
  const { classifier } = core;
  const buffers = [
    classifier.rowStart.buffer,
    classifier.columns.buffer,
    classifier.weights.buffer,
    classifier.bias.buffer,
    classifier.centroidStart.buffer,
    classifier.centroidColumns.buffer,
    classifier.centroidValues.buffer,
    core.features.idf.buffer,
  ] as ArrayBuffer[];
  return move({ [transferableSymbol]: buffers, [valueSymbol]: core } as never);
}
