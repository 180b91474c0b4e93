// npm run kb:check [-- --kb DIR]: validates the knowledge base the way the server loads it and
// prints each problem as file:line: message (clickable in editors). Exit 1 on any problem.
import path from 'node:path';
import fs from 'node:fs';
import { loadKnowledgeBase } from '../kb/loader.js';
import { channelWarnings } from '../kb/channel-forms.js';

function kbDirFromArgs(args: string[]): string {
  const index = args.indexOf('--kb');
  if (index >= 0) {
    const dir = args[index + 1];
    if (!dir) {
      console.error('usage: npm run kb:check -- [--kb DIR]   (default: $KB_DIR or ./kb-content)');
      process.exit(2);
    }
    return dir;
  }
  return process.env.KB_DIR || './kb-content';
}

const kbDir = path.resolve(kbDirFromArgs(process.argv.slice(2)));
const { articles, problems } = await loadKnowledgeBase(kbDir);
const shown = path.relative(process.cwd(), kbDir) || '.';

for (const problem of problems) {
  console.log(`${path.join(shown, problem.file)}:${problem.line}: ${problem.message}`);
}
// warnings, not problems: the article works everywhere, but SMS or phone customers get less of it
let warnings = 0;
const publicUrl = (process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '');
for (const article of articles) {
  const found = channelWarnings(article, publicUrl);
  if (found.length === 0) continue;
  const source = fs.readFileSync(path.join(kbDir, article.path), 'utf8').split('\n');
  const line = Math.max(1, source.findIndex((l) => l.startsWith('summary:')) + 1);
  for (const warning of found) console.log(`${path.join(shown, article.path)}:${line}: warning: ${warning}`);
  warnings += found.length;
}
const perLocale = new Map<string, number>();
for (const article of articles) perLocale.set(article.locale, (perLocale.get(article.locale) ?? 0) + 1);
const counts = [...perLocale].map(([locale, count]) => `${locale}: ${count}`).join(', ') || 'none';
const verdict =
  (problems.length === 0 ? 'no problems' : `${problems.length} problem${problems.length === 1 ? '' : 's'}`) +
  (warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '');
console.log(`kb:check ${shown}: ${articles.length} articles (${counts}), ${verdict}`);
process.exit(problems.length === 0 ? 0 : 1);
