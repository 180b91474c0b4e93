// Writes an editor's alternative question into an article file: only inside KB_DIR, only if the file did
// not change since the editor loaded the page, atomically (a temporary file renamed over it, so the KB
// watcher never reads half a file).
import fs from 'node:fs/promises';
import path from 'node:path';
import { addQuestion, FrontMatterError } from './front-matter.js';

export class ArticleWriteError extends Error {
  constructor(readonly statusCode: 400 | 403 | 404 | 409, message: string) {
    super(message);
  }
}

/** The absolute path of `relative` if it lies inside `kbDir` (symlinks resolved), else a 403. */
export async function insideKb(kbDir: string, relative: string): Promise<string> {
  const root = await fs.realpath(kbDir);
  const candidate = path.resolve(root, relative);
  const outside = (p: string) => p !== root && !p.startsWith(root + path.sep);
  if (outside(candidate) || !candidate.endsWith('.md')) throw new ArticleWriteError(403, 'Only article files inside the knowledge-base folder can be written.');
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw new ArticleWriteError(404, 'The article file no longer exists.');
  }
  if (outside(real)) throw new ArticleWriteError(403, 'Only article files inside the knowledge-base folder can be written.');
  return real;
}

/**
 * Appends `question` to the article's `questions`. `loadedAt` (ms since epoch) is when the editor's page
 * was rendered: a file modified after it is refused with 409, the editor reloads and decides again.
 */
export async function addAlternativeQuestion(input: { kbDir: string; articlePath: string; question: string; loadedAt: number }): Promise<{ file: string }> {
  const file = await insideKb(input.kbDir, input.articlePath);
  const stat = await fs.stat(file);
  if (stat.mtimeMs > input.loadedAt) {
    throw new ArticleWriteError(409, `${input.articlePath} changed after you loaded the page (${stat.mtime.toISOString()}). Reload the page, check the article, and add the question again.`);
  }
  const source = await fs.readFile(file, 'utf8');
  let edited: string;
  try {
    edited = addQuestion(source, input.question);
  } catch (error) {
    if (error instanceof FrontMatterError) throw new ArticleWriteError(409, `${input.articlePath}: ${error.message}.`);
    throw error;
  }
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  await fs.writeFile(temporary, edited, { mode: stat.mode });
  await fs.rename(temporary, file);
  return { file };
}

/** A new article prefilled from a content gap, for the editor to copy into a file under KB_DIR/<locale>/. */
export function articleSkeleton(locale: string, question: string, examples: string[]): string {
  const id = question.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'new-article';
  const others = examples.filter((e) => e !== question);
  return [
    '---',
    `id: ${id}`,
    `title: ${JSON.stringify(question.charAt(0).toUpperCase() + question.slice(1))}`,
    'questions:',
    ...[question, ...others].map((q) => `  - ${JSON.stringify(q)}`),
    'category: general',
    'summary: ""',
    '---',
    `<!-- save as ${locale}/general/${id}.md; the answer in a few short paragraphs -->`,
    '',
  ].join('\n');
}
