// Loads a knowledge base directory in a fresh process and prints {"ms","rssMiB"} as JSON: how long until
// it serves (cold without a cache, warm with one) and the memory it holds afterwards. Used by `npm run bench`.
import { createKnowledgeBase } from '../server/kb/service.js';

const [kbDir, cacheDir] = process.argv.slice(2);
const started = performance.now();
const kb = await createKnowledgeBase({ kbDir, cacheDir, publicUrl: 'http://127.0.0.1' });
const ms = performance.now() - started;
const hits = (await kb.search('generated article question', 'en')).hits.length;
globalThis.gc?.();
console.log(JSON.stringify({ ms, rssMiB: process.memoryUsage().rss / 2 ** 20, hits }));
await kb.close();
process.exit(0);
