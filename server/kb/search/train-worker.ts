// Worker thread entry (loaded by train-worker-boot.mjs): trains one locale's model so the server keeps
// answering from the previous index meanwhile. Receives { input: TrainingInput }, posts back a TrainedLocale.
import { parentPort, workerData } from 'node:worker_threads';
import { trainLocale, type TrainingInput } from './training.js';

const result = trainLocale((workerData as { input: TrainingInput }).input);
const { classifier } = result.model;
// hand the big arrays over instead of copying them
parentPort!.postMessage(result, [
  classifier.rowStart.buffer,
  classifier.columns.buffer,
  classifier.weights.buffer,
  classifier.bias.buffer,
  classifier.centroidStart.buffer,
  classifier.centroidColumns.buffer,
  classifier.centroidValues.buffer,
] as ArrayBuffer[]);
