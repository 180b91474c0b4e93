// The knowledge base as the server uses it: the current articles and one search index per locale,
// swapped in whole after each load. Content with problems never replaces good content: the problems
// are logged as file:line: message and the last good snapshot keeps serving.
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { KbHit } from '../../bot/ports.js';
import type { Article, KbProblem, KbSearchResult, KnowledgeBaseService } from './types.js';
import { loadKnowledgeBase, SUPPORTED_LOCALES } from './loader.js';
import { articlePath } from './render.js';
import { shortUrl } from './short-links.js';
import { highlightSnippet, preparedSources } from './snippet.js';
import { matchLocale } from './locale.js';
import { buildLocaleIndex, hasCachedModels, warmTrainingThreads, type LocaleIndex } from './search/engine.js';
import { describeCalibration } from './search/calibration.js';

export interface KbLogger {
  info(message: string): void;
  warn(message: string): void;
  error(details: object, message: string): void;
}

export interface KnowledgeBaseOptions {
  kbDir: string;
  /** absolute base of hit URLs, without a trailing slash */
  publicUrl: string;
  logger?: KbLogger;
  /** reload when a file under kbDir changes */
  watch?: boolean;
  /** where the search engine may keep derived data between starts */
  cacheDir?: string;
  /** locale folders to serve, in default order (default: the search engine's, de then en) */
  locales?: readonly string[];
  /** quiet time after the last file event before reloading */
  debounceMs?: number;
  /** questions usage tied to articles of a locale (learned evidence): the engine learns them at each build */
  learnedQuestions?: (locale: string) => Promise<Array<{ articleId: string; question: string }>>;
  /** rebuild this often so that new learned evidence is used without a content change (0 or unset: only on loads) */
  relearnEveryMs?: number;
}

interface Snapshot {
  /** locales with articles, default first */
  locales: string[];
  byLocale: Map<string, Article[]>;
  byId: Map<string, Map<string, Article>>;
  indexes: Map<string, LocaleIndex>;
  /** loaded without problems: only such a snapshot is protected from content with problems */
  clean: boolean;
}

/** parsed and rendered articles, next to the trained models in the cache folder */
const ARTICLE_CACHE_FILE = 'articles.json';
const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 50;
const SILENT: KbLogger = { info() {}, warn() {}, error() {} };

export async function createKnowledgeBase(options: KnowledgeBaseOptions): Promise<KnowledgeBaseService> {
  const kbDir = path.resolve(options.kbDir);
  const logger = options.logger ?? SILENT;
  const localeOrder = options.locales ?? SUPPORTED_LOCALES;
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  let snapshot: Snapshot | undefined;
  let lastProblems: KbProblem[] = [];
  let closed = false;

  /** Learned evidence must never stop the KB from loading: without it, the articles alone. */
  async function learnedFor(locale: string): Promise<Array<{ articleId: string; question: string }>> {
    if (!options.learnedQuestions) return [];
    try {
      return await options.learnedQuestions(locale);
    } catch (error) {
      logger.error({ err: error }, `reading the learned questions of ${locale} failed: building without them`);
      return [];
    }
  }

  async function build(): Promise<{ ok: boolean; problems: KbProblem[] }> {
    const started = Date.now();
    // a build that will train starts the training threads while the files are read. With models in the
    // cache, a start usually finds its own there: threads started for nothing would cost a second of
    // CPU and ~80 MB (a build that must train after all starts them itself).
    if (!options.cacheDir || !(await hasCachedModels(options.cacheDir))) warmTrainingThreads();
    const loaded = await loadKnowledgeBase(kbDir, { locales: localeOrder, cacheFile: options.cacheDir ? path.join(options.cacheDir, ARTICLE_CACHE_FILE) : undefined });
    const problems = [...loaded.problems];
    for (const problem of problems) logger.warn(`${path.join(kbDir, problem.file)}:${problem.line}: ${problem.message}`);

    if (problems.length > 0 && snapshot?.clean) {
      lastProblems = problems;
      logger.warn(`knowledge base has ${problems.length} problem(s): still serving the last good version`);
      return { ok: false, problems };
    }
    const byLocale = new Map<string, Article[]>();
    for (const article of loaded.articles) {
      if (!byLocale.has(article.locale)) byLocale.set(article.locale, []);
      byLocale.get(article.locale)!.push(article);
    }
    const locales = localeOrder.filter((locale) => byLocale.has(locale));
    const indexes = new Map<string, LocaleIndex>();
    try {
      // locales build side by side; on a reload each answers with its previous thresholds until recalibrated
      const built = await Promise.all(
        locales.map(async (locale) =>
          buildLocaleIndex(locale, byLocale.get(locale)!, {
            synonyms: loaded.synonyms.get(locale) ?? [],
            cacheDir: options.cacheDir,
            provisionalCalibration: snapshot?.indexes.get(locale)?.calibration,
            learned: await learnedFor(locale),
          }),
        ),
      );
      locales.forEach((locale, i) => indexes.set(locale, built[i]));
    } catch (error) {
      logger.error({ err: error }, 'building the search index failed: still serving the last version');
      problems.push({ file: '.', line: 1, message: `building the search index failed: ${(error as Error).message}` });
      lastProblems = problems;
      return { ok: false, problems };
    }
    const previousLocales = snapshot?.locales ?? [];
    snapshot = {
      locales,
      byLocale,
      byId: new Map([...byLocale].map(([locale, list]) => [locale, new Map(list.map((a) => [a.id, a]))])),
      indexes,
      clean: problems.length === 0,
    };
    lastProblems = problems;
    // a locale that stops being served is a problem for its readers: the API answers 404 for it from now on
    for (const gone of previousLocales.filter((locale) => !locales.includes(locale))) {
      logger.warn(`locale "${gone}" is no longer in the knowledge base (no articles under ${path.join(kbDir, gone)}): requests for ${gone} are answered as unavailable`);
    }
    const counts = locales.map((l) => `${l}: ${byLocale.get(l)!.length}`).join(', ');
    logger.info(`knowledge base loaded in ${Date.now() - started} ms (${counts || 'no articles'})${problems.length ? `, ${problems.length} problem(s) skipped` : ''}`);
    for (const [locale, index] of indexes) {
      void index.calibrated.then(() => {
        if (snapshot?.indexes.get(locale) === index) logger.info(`search ${locale}: ${describeCalibration(index.calibration)}`);
      });
    }
    return { ok: problems.length === 0, problems };
  }

  // one load at a time; calls while one runs share a single follow-up load
  let running: Promise<{ ok: boolean; problems: KbProblem[] }> | undefined;
  let queued: Promise<{ ok: boolean; problems: KbProblem[] }> | undefined;
  function reload(): Promise<{ ok: boolean; problems: KbProblem[] }> {
    if (queued) return queued;
    const start = () => {
      running = build().finally(() => {
        running = undefined;
      });
      return running;
    };
    if (!running) return start();
    queued = running.catch(() => undefined).then(() => {
      queued = undefined;
      return start();
    });
    return queued;
  }

  await reload();

  // learned evidence accumulates in the database: a periodic rebuild picks it up (the model cache makes
  // a rebuild without new evidence cheap)
  const relearn = options.relearnEveryMs
    ? setInterval(() => {
        if (!closed) reload().catch((error) => logger.error({ err: error }, 'rebuilding with learned evidence failed'));
      }, options.relearnEveryMs)
    : undefined;
  relearn?.unref();

  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (options.watch) {
    const cacheDir = options.cacheDir ? path.resolve(options.cacheDir) : undefined;
    watcher = watch(kbDir, {
      ignoreInitial: true,
      ignored: (file: string) => path.basename(file).startsWith('.') || (cacheDir !== undefined && file.startsWith(cacheDir)),
    });
    watcher.on('all', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (closed) return;
        reload().catch((error) => logger.error({ err: error }, 'reloading the knowledge base failed'));
      }, options.debounceMs ?? 150);
    });
    watcher.on('error', (error) => logger.error({ err: error }, 'watching the knowledge base failed'));
    await new Promise<void>((resolve) => watcher!.once('ready', () => resolve()));
  }

  const current = (): Snapshot => snapshot ?? { locales: [], byLocale: new Map(), byId: new Map(), indexes: new Map(), clean: false };
  const localeOf = (requested: string): string | undefined => {
    const { locales } = current();
    return matchLocale(locales, requested) ?? locales[0];
  };

  return {
    isReady: () => snapshot !== undefined && !closed,
    locales: () => {
      const { locales } = current();
      return locales.length > 0 ? [...locales] : [...localeOrder];
    },
    article: (id, locale) => current().byId.get(locale)?.get(id),
    articles: (locale) => [...(current().byLocale.get(locale) ?? [])],
    problems: () => [...lastProblems],
    calibrationBasis: (locale) => current().indexes.get(locale)?.calibration.basis,
    reload,
    async search(query: string, requestedLocale: string, searchOptions: { limit?: number; snippets?: boolean } = {}): Promise<KbSearchResult> {
      const view = current();
      const locale = localeOf(requestedLocale);
      const index = locale ? view.indexes.get(locale) : undefined;
      if (!locale || !index) return { hits: [] };
      const calibration = { answerAt: index.calibration.answerAt, alternativesAt: index.calibration.alternativesAt, suggestAt: index.calibration.suggestAt };
      const text = typeof query === 'string' ? query.trim() : '';
      if (!text) return { hits: [], calibration };
      const limit = Math.min(Math.max(Math.trunc(searchOptions.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1), MAX_LIMIT);
      let found;
      try {
        found = index.search(text, limit);
      } catch (error) {
        // customer text must never break a page or a conversation
        logger.error({ err: error }, 'search failed');
        return { hits: [], calibration };
      }
      const hits: KbHit[] = [];
      for (const hit of found) {
        const article = view.byId.get(locale)?.get(hit.id);
        if (!article) continue;
        hits.push({
          id: article.id,
          locale,
          title: article.title,
          summary: article.summary,
          url: `${publicUrl}${articlePath(article.id, locale)}`,
          shortUrl: shortUrl(publicUrl, locale, article.id),
          score: hit.score,
          confidence: hit.confidence,
          snippet: searchOptions.snippets === false ? '' : highlightSnippet(text, preparedSources(article, () => [article.summary, article.text])),
        });
      }
      return { hits, calibration };
    },
    async close() {
      closed = true;
      clearInterval(relearn);
      clearTimeout(timer);
      await watcher?.close();
      await running?.catch(() => undefined);
    },
  };
}
