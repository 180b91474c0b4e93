// Bundles the browser code with esbuild: the customer widget and the agent console, each to one file
// in public/build/, and prints each bundle's gzipped size (the widget must stay under 25 kB).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'public', 'build');

const bundles = [
  { name: 'widget.js', entry: 'widget/src/index.ts', budgetKb: 25 },
  { name: 'agent-console.js', entry: 'server/handoff/console/index.ts', budgetKb: 100 },
];

fs.mkdirSync(outDir, { recursive: true });
let failed = false;
for (const bundle of bundles) {
  const entry = path.join(root, bundle.entry);
  if (!fs.existsSync(entry)) continue;
  const outfile = path.join(outDir, bundle.name);
  await build({ entryPoints: [entry], outfile, bundle: true, minify: true, format: 'iife', target: ['es2020'], legalComments: 'none', logLevel: 'warning' });
  const gzipped = gzipSync(fs.readFileSync(outfile)).length / 1024;
  const within = gzipped <= bundle.budgetKb;
  console.log(`${bundle.name}: ${gzipped.toFixed(1)} kB gzipped (budget ${bundle.budgetKb} kB)${within ? '' : '  OVER BUDGET'}`);
  if (!within) failed = true;
}
if (failed) process.exit(1);
