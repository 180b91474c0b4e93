// Reads KB_DIR/<locale>/**/*.md into articles and checks them: every problem names the file and line,
// so an editor can fix it. Used by the KB service, `npm run kb:check` and `npm run kb:eval`.
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import type { Article, KbProblem, SynonymGroups } from './types.js';
import { articlePath, renderBody, truncate, type RenderedBody } from './render.js';
import { ArticleCache, contentDigest, type ParsedArticleFile } from './article-cache.js';

/** The locales the search engine has a language pipeline for, in default order. */
export const SUPPORTED_LOCALES: readonly string[] = ['de', 'en'];

export interface LoadOptions {
  /** locale folders to accept; others are reported as problems (default: SUPPORTED_LOCALES) */
  locales?: readonly string[];
  /** file that keeps parsed and rendered articles between loads (see article-cache.ts); unset: none */
  cacheFile?: string;
}

export interface LoadedKnowledgeBase {
  /** valid articles, by locale (in `locales` order) then path */
  articles: Article[];
  synonyms: Map<string, SynonymGroups>;
  problems: KbProblem[];
}

const SYNONYMS_FILE = 'synonyms.yml';
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const SUMMARY_FALLBACK_LENGTH = 200;

/** article files read at once while loading */
const PARALLEL_READS = 32;

export async function loadKnowledgeBase(kbDir: string, options: LoadOptions = {}): Promise<LoadedKnowledgeBase> {
  const locales = options.locales ?? SUPPORTED_LOCALES;
  const problems: KbProblem[] = [];
  const articles: Article[] = [];
  const synonyms = new Map<string, SynonymGroups>();
  const cache = options.cacheFile ? await ArticleCache.open(options.cacheFile) : undefined;

  let entries;
  try {
    entries = await fs.readdir(kbDir, { withFileTypes: true });
  } catch (error) {
    problems.push({ file: '.', line: 1, message: `cannot read the knowledge base folder ${kbDir}: ${(error as Error).message}` });
    return { articles, synonyms, problems };
  }
  const folders = new Set<string>();
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || !entry.isDirectory()) continue; // files at the top (a README) are not content
    if (locales.includes(entry.name)) folders.add(entry.name);
    else problems.push({ file: entry.name, line: 1, message: `unknown locale folder "${entry.name}" (supported: ${locales.join(', ')})` });
  }

  for (const locale of locales.filter((l) => folders.has(l))) {
    const files = await markdownFiles(kbDir, locale);
    const parsed: ParsedFile[] = [];
    // what the cache knew of a file (unchanged since), and each file's stat
    const known = new Map<string, { rendered: RenderedBody; resolved: boolean[] }>();
    const stats = new Map<string, Stats>();
    const digests = new Map<string, string>();
    // files are read a batch at a time (a thousand one by one wait on the disk a thousand times), in order
    for (let start = 0; start < files.length; start += PARALLEL_READS) {
      const batch = await Promise.all(
        files.slice(start, start + PARALLEL_READS).map(async (file) => {
          const stat = await fs.stat(path.join(kbDir, file));
          stats.set(file, stat);
          const cached = cache?.get(file, stat);
          if (!cached) {
            const result = await parseArticleFile(kbDir, file, locale, stat);
            digests.set(file, result.digest);
            return result;
          }
          known.set(file, cached);
          return { file: { ...(cached.file as unknown as ParsedFile), updated: stat.mtime.toISOString() }, problems: [] };
        }),
      );
      for (const result of batch) {
        problems.push(...result.problems);
        if (result.file) parsed.push(result.file);
      }
    }
    const clean = new Set(parsed.map((file) => file.path));
    for (const problem of problems) clean.delete(problem.file);

    const byId = new Map<string, ParsedFile>();
    for (const file of parsed) {
      const first = byId.get(file.id);
      if (first) {
        problems.push({ file: file.path, line: file.idLine, message: `duplicate id "${file.id}" in ${locale}: also used by ${first.path}` });
        continue;
      }
      byId.set(file.id, file);
    }

    for (const file of byId.values()) {
      // a cached rendering holds while each article it links to exists exactly when it did then
      const before = known.get(file.path);
      let rendered = before && before.rendered.links.every((id, i) => byId.has(id) === before.resolved[i]) ? before.rendered : undefined;
      if (!rendered) {
        rendered = renderBody(file.body, (id) => (byId.has(id) ? articlePath(id, locale) : undefined));
        if (clean.has(file.path)) {
          const { updated: _changesEachLoad, ...fields } = file;
          const article = { file: fields as unknown as ParsedArticleFile, rendered, resolved: rendered.links.map((id) => byId.has(id)) };
          cache?.set(file.path, path.join(kbDir, file.path), stats.get(file.path)!, digests.get(file.path), article);
        }
      }
      for (const id of new Set(rendered.links)) {
        if (!byId.has(id)) {
          problems.push({ file: file.path, line: file.bodyLine + lineIndexOf(file.body, `article:${id}`), message: `link to unknown article "${id}" (no such id in ${locale})` });
        }
      }
      articles.push({
        id: file.id,
        locale,
        title: file.title,
        questions: file.questions,
        category: file.category,
        tags: file.tags,
        summary: file.summary || truncate(rendered.firstParagraph, SUMMARY_FALLBACK_LENGTH),
        body: file.body,
        html: rendered.html,
        text: rendered.text,
        path: file.path,
        updated: file.updated,
        links: [...new Set(rendered.links)].filter((id) => byId.has(id)),
      });
    }

    const groups = await loadSynonyms(kbDir, locale);
    problems.push(...groups.problems);
    synonyms.set(locale, groups.groups);
  }

  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  await cache?.save().catch(() => {}); // a cache that cannot be written only costs the next load time
  return { articles, synonyms, problems };
}

/** An article as read from its file, before rendering, with the lines problems point at. */
type ParsedFile = Pick<Article, 'id' | 'title' | 'questions' | 'category' | 'tags' | 'summary' | 'body' | 'path' | 'updated'> & {
  idLine: number;
  /** line in the file where the body starts */
  bodyLine: number;
};

/** Markdown files under kbDir/locale, as KB-relative paths with forward slashes, sorted. */
async function markdownFiles(kbDir: string, locale: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string) => {
    const entries = await fs.readdir(path.join(kbDir, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(child);
    }
  };
  await walk(locale);
  return found.sort();
}

const FENCE = /^---\s*$/;

async function parseArticleFile(kbDir: string, file: string, locale: string, stat: Stats): Promise<{ file?: ParsedFile; problems: KbProblem[]; digest: string }> {
  const problems: KbProblem[] = [];
  const problem = (line: number, message: string) => problems.push({ file, line, message });
  const source = await fs.readFile(path.join(kbDir, file), 'utf8');
  const digest = contentDigest(source);
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);

  if (!FENCE.test(lines[0] ?? '')) {
    problem(1, 'missing title: start the file with front matter (a line "---", "title: …", then "---")');
    return { problems, digest };
  }
  const end = lines.findIndex((line, index) => index > 0 && (FENCE.test(line) || /^\.\.\.\s*$/.test(line)));
  if (end < 0) {
    problem(1, 'front matter is not closed: add a line "---" after it');
    return { problems, digest };
  }
  // front matter line n (1-based) is file line n + 1
  const lineCounter = new LineCounter();
  const doc = parseDocument(lines.slice(1, end).join('\n'), { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    // the first error only: what follows it is usually the same mistake seen again
    const [error] = doc.errors;
    problem((error.linePos?.[0].line ?? 1) + 1, `bad YAML in front matter: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    return { problems, digest };
  }
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) {
    problem(2, 'front matter must be "key: value" lines');
    return { problems, digest };
  }
  const lineOf = (key: string): number => {
    const node = contents?.get(key, true) as YamlNode | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line + 1 : 1;
  };
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  const value = (key: string): unknown => data[key];

  const title = text(value('title'));
  if (value('title') === undefined || value('title') === null) problem(1, 'missing title: add "title: …" to the front matter');
  else if (title === undefined) problem(lineOf('title'), 'title must be text');
  else if (!title) problem(lineOf('title'), 'missing title: the title is empty');

  const fileName = path.basename(file, '.md');
  const rawId = value('id');
  const id = rawId === undefined || rawId === null ? fileName : text(rawId);
  if (!id || !ID_PATTERN.test(id)) {
    problem(lineOf('id'), `id "${String(rawId)}" must be letters, digits, "-" or "_" (it is part of the article's URL)`);
  }

  const list = (key: string): string[] => {
    const raw = value(key);
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw) || raw.some((item) => text(item) === undefined)) {
      problem(lineOf(key), `${key} must be a list, e.g. "${key}: [a, b]" or one "- item" per line`);
      return [];
    }
    return raw.map((item) => text(item)!).filter(Boolean);
  };
  const questions = list('questions');
  const tags = list('tags');

  const folders = file.split('/').slice(1, -1);
  const rawCategory = value('category');
  const category = rawCategory === undefined || rawCategory === null ? (folders[0] ?? 'general') : text(rawCategory);
  if (!category) problem(lineOf('category'), 'category must be text');

  const rawSummary = value('summary');
  const summary = rawSummary === undefined || rawSummary === null ? '' : text(rawSummary);
  if (summary === undefined) problem(lineOf('summary'), 'summary must be text');

  if (problems.length > 0 && (!title || !id || !ID_PATTERN.test(id))) return { problems, digest };
  return {
    problems,
    digest,
    file: {
      id: id!,
      idLine: rawId === undefined ? 1 : lineOf('id'),
      title: title!,
      questions,
      category: category ?? folders[0] ?? 'general',
      tags,
      summary: (summary ?? '').replace(/\s+/g, ' ').trim(),
      body: lines.slice(end + 1).join('\n'),
      bodyLine: end + 2,
      path: file,
      updated: stat.mtime.toISOString(),
    },
  };
}

/** A scalar as trimmed text (numbers and booleans too); undefined for anything else. */
function text(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return undefined;
}

/** 0-based index of the first line containing `needle` (0 when absent). */
function lineIndexOf(body: string, needle: string): number {
  const index = body.split(/\r?\n/).findIndex((line) => line.includes(needle));
  return Math.max(index, 0);
}

async function loadSynonyms(kbDir: string, locale: string): Promise<{ groups: SynonymGroups; problems: KbProblem[] }> {
  const file = `${locale}/${SYNONYMS_FILE}`;
  let source: string;
  try {
    source = await fs.readFile(path.join(kbDir, file), 'utf8');
  } catch {
    return { groups: [], problems: [] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  const problems: KbProblem[] = doc.errors.map((error) => ({
    file,
    line: error.linePos?.[0].line ?? 1,
    message: `bad YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
  if (problems.length > 0 || doc.contents === null) return { groups: [], problems };
  const lineOf = (node: YamlNode) => (node.range ? lineCounter.linePos(node.range[0]).line : 1);
  if (!isSeq(doc.contents)) {
    return { groups: [], problems: [{ file, line: lineOf(doc.contents), message: 'synonyms must be a list of lists of words, e.g. "- [Paket, Sendung, Lieferung]"' }] };
  }
  const groups: SynonymGroups = [];
  for (const item of doc.contents.items) {
    const node = item as YamlNode;
    if (!isSeq(node) || node.items.some((word) => !isScalar(word) || text(word.value) === undefined)) {
      problems.push({ file, line: lineOf(node), message: 'each synonym group must be a list of words, e.g. "- [Paket, Sendung]"' });
      continue;
    }
    const words = node.items.map((word) => text((word as { value: unknown }).value)!).filter(Boolean);
    if (words.length > 1) groups.push(words);
  }
  return { groups, problems };
}
