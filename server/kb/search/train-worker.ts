// Task run on a training pool thread (loaded by train-worker-boot.mjs): trains one locale's model, or
// cross-validates its calibration, so the server keeps answering from the previous index meanwhile.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { calibrateLocale, trainLocaleModel, type TrainingInput } from './training.js';

export default function train({ input, task }: { input: TrainingInput; task: 'model' | 'calibration' } | { input?: undefined; task: 'warm' }) {
  if (task === 'warm') return null; // loading this module was the point
  if (task === 'calibration') return calibrateLocale(input);
  const model = trainLocaleModel(input);
  const { classifier, lexical } = model;
  // hand the big arrays over instead of copying them
  const buffers = [
    classifier.rowStart.buffer,
    classifier.columns.buffer,
    classifier.weights.buffer,
    classifier.bias.buffer,
    classifier.centroidStart.buffer,
    classifier.centroidColumns.buffer,
    classifier.centroidValues.buffer,
    model.features.idf.buffer,
    lexical.start.buffer,
    lexical.articles.buffer,
    lexical.weights.buffer,
  ] as ArrayBuffer[];
  return move({ [transferableSymbol]: buffers, [valueSymbol]: model } as never);
}
