// Worker thread bootstrap in plain JavaScript for the training pool (piscina): when the engine runs
// from its TypeScript sources (tsx, vitest), the thread registers tsx for itself, once, before loading
// the real task module. The pool keeps the thread for later tasks, so this cost is paid once per thread.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
const task = await import(workerData.entry);
export default task.default;
