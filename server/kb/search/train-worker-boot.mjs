// Worker thread bootstrap in plain JavaScript: when the engine runs from its TypeScript sources
// (tsx, vitest), the thread registers tsx for itself before loading the real worker module.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
