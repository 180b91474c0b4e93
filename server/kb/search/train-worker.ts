// Worker thread entry (loaded by train-worker-boot.mjs): trains one locale's model, or cross-validates
// its calibration, so the server keeps answering from the previous index meanwhile. Receives
// { input: TrainingInput, task }, posts back a TrainedModel or a Calibration.
import { parentPort, workerData } from 'node:worker_threads';
import { calibrateLocale, trainLocaleModel, type TrainingInput } from './training.js';

const { input, task } = workerData as { input: TrainingInput; task: 'model' | 'calibration' };
if (task === 'calibration') parentPort!.postMessage(calibrateLocale(input));
else {
  const model = trainLocaleModel(input);
  const { classifier } = model;
  // hand the big arrays over instead of copying them
  parentPort!.postMessage(model, [
    classifier.rowStart.buffer,
    classifier.columns.buffer,
    classifier.weights.buffer,
    classifier.bias.buffer,
    classifier.centroidStart.buffer,
    classifier.centroidColumns.buffer,
    classifier.centroidValues.buffer,
  ] as ArrayBuffer[]);
}
