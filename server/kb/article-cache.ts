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
 * A file changed this recently may change again within the same timestamp tick (a second on some file
 * systems), unseen by its times: it is kept only once it has been this old, and then only if it still
 * has the times and the content it was read with (checked in the background; see `save`).
 */
const SETTLED_MS = 2_000;

/** A short fingerprint of a file's text. */
export function contentDigest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

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
  /** files read while they were too recently changed to be kept yet */
  private readonly unsettled: Array<{ relative: string; absolute: string; stat: Stats; digest: string; article: CachedArticle }> = [];

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
    if (!entry || !sameFile(entry, stat)) return undefined;
    this.kept.set(relative, entry);
    return entry;
  }

  /** Keeps a file read and rendered by this load (one changed too recently: once it has settled, see `save`). */
  set(relative: string, absolute: string, stat: Stats, digest: string | undefined, article: CachedArticle): void {
    if (Math.max(stat.mtimeMs, stat.ctimeMs) > this.started - SETTLED_MS) {
      if (digest) this.unsettled.push({ relative, absolute, stat, digest, article });
      return;
    }
    this.kept.set(relative, entryOf(stat, article));
    this.changed = true;
  }

  /**
   * Writes the entries this load used or made (atomically), when they differ from what was read. Files
   * read too soon after a change are checked again once that change is SETTLED_MS old (a timer that does
   * not keep the process alive): unchanged in times and content, they are added and the file written
   * again. So a KB generated just before the first start is cached by the time that start has trained.
   */
  async save(): Promise<void> {
    if (this.changed || this.kept.size !== this.previous.size) await this.write();
    if (this.unsettled.length === 0) return;
    const latest = Math.max(...this.unsettled.map(({ stat }) => Math.max(stat.mtimeMs, stat.ctimeMs)));
    setTimeout(() => void this.settle().catch(() => {}), Math.max(0, latest + SETTLED_MS + 50 - Date.now())).unref();
  }

  private async settle(): Promise<void> {
    let added = false;
    for (const { relative, absolute, stat, digest, article } of this.unsettled.splice(0)) {
      const now = await fs.stat(absolute).catch(() => undefined);
      if (!now || !sameFile(now, stat)) continue;
      if (Math.max(now.mtimeMs, now.ctimeMs) > Date.now() - SETTLED_MS) continue;
      if (contentDigest(await fs.readFile(absolute, 'utf8')) !== digest) continue;
      this.kept.set(relative, entryOf(stat, article));
      added = true;
    }
    if (added) await this.write();
  }

  private async write(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    const lines = [JSON.stringify({ version: this.version }), ...Array.from(this.kept, (entry) => JSON.stringify(entry))];
    await fs.writeFile(temp, `${lines.join('\n')}\n`);
    await fs.rename(temp, this.file);
  }
}

function entryOf(stat: Stats, article: CachedArticle): Entry {
  return { size: stat.size, ino: stat.ino, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ...article };
}

/** The same file, unchanged: size, inode and both times as when it was read. */
function sameFile(a: Pick<Stats, 'size' | 'ino' | 'mtimeMs' | 'ctimeMs'>, b: Stats): boolean {
  return a.size === b.size && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}
