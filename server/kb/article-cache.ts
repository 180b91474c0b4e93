// Parsed and rendered articles kept on disk between loads: a warm start with ten thousand articles
// spent three seconds of CPU parsing front matter and rendering markdown that had not changed. A file's
// entry is reused while its size, inode and both times are those it was read with (an edit changes the
// change time, which not even `touch -d` can set back). The file holds the version of the code that
// parses and renders, so a change to it (or to the lockfile) discards every entry.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RenderedBody } from './render.js';

/** what the loader read from a file (front matter, body and the lines problems point at) */
export type ParsedArticleFile = Record<string, unknown> & { path: string };

export interface CachedArticle {
  file: ParsedArticleFile;
  rendered: RenderedBody;
  /** for each of rendered.links: whether that article existed when the body was rendered */
  resolved: boolean[];
}

interface Entry extends CachedArticle {
  size: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * A file changed this recently may change again within the same timestamp tick: it is not kept (the
 * next load reads it again), so an entry is never trusted for a file edited just after it was read.
 */
const SETTLED_MS = 2_000;

const CODE = ['loader', 'render', 'article-cache'];

let codeVersion: Promise<string | undefined> | undefined;

/** A hash of the parsing and rendering code and the lockfile (the markdown, HTML and YAML libraries). */
function version(): Promise<string | undefined> {
  codeVersion ??= (async () => {
    const hash = createHash('sha256');
    const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    for (const name of CODE) hash.update(await fs.readFile(new URL(`./${name}${extension}`, import.meta.url)));
    hash.update(await fs.readFile(new URL('../../package-lock.json', import.meta.url)).catch(() => Buffer.from('no lockfile')));
    return hash.digest('hex');
  })().catch(() => undefined);
  return codeVersion;
}

export class ArticleCache {
  private readonly kept = new Map<string, Entry>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly version: string,
    private readonly previous: Map<string, Entry>,
    private readonly started: number,
  ) {}

  /** The cache in `file` (empty when missing, unreadable or written by other code); undefined when the code's version is unknown. */
  static async open(file: string): Promise<ArticleCache | undefined> {
    const started = Date.now();
    const current = await version();
    if (!current) return undefined;
    let previous = new Map<string, Entry>();
    try {
      // one JSON text per line (the version, then one entry per file): no string of the whole file
      const bytes = await fs.readFile(file);
      let at = bytes.indexOf(0x0a);
      if (at > 0 && JSON.parse(bytes.toString('utf8', 0, at)).version === current) {
        while (at < bytes.length - 1) {
          const end = bytes.indexOf(0x0a, at + 1);
          if (end < 0) throw new Error('cut short');
          const [relative, entry] = JSON.parse(bytes.toString('utf8', at + 1, end)) as [string, Entry];
          previous.set(relative, entry);
          at = end;
        }
      }
    } catch {
      previous = new Map(); // missing or damaged: every file is read again
    }
    return new ArticleCache(file, current, previous, started);
  }

  /** The entry of a KB-relative path if the file is unchanged since it was cached. */
  get(relative: string, stat: Stats): CachedArticle | undefined {
    const entry = this.previous.get(relative);
    if (!entry || entry.size !== stat.size || entry.ino !== stat.ino || entry.mtimeMs !== stat.mtimeMs || entry.ctimeMs !== stat.ctimeMs) return undefined;
    this.kept.set(relative, entry);
    return entry;
  }

  /** Keeps a file read and rendered by this load (unless it changed too recently to be trusted). */
  set(relative: string, stat: Stats, article: CachedArticle): void {
    if (Math.max(stat.mtimeMs, stat.ctimeMs) > this.started - SETTLED_MS) return;
    this.kept.set(relative, { size: stat.size, ino: stat.ino, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ...article });
    this.changed = true;
  }

  /** Writes the entries this load used or made (atomically), when they differ from what was read. */
  async save(): Promise<void> {
    if (!this.changed && this.kept.size === this.previous.size) return;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    const lines = [JSON.stringify({ version: this.version }), ...Array.from(this.kept, (entry) => JSON.stringify(entry))];
    await fs.writeFile(temp, `${lines.join('\n')}\n`);
    await fs.rename(temp, this.file);
  }
}
