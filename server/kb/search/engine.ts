// The search engine's contract: build an index for one locale's articles, then answer queries.
// A classifier trained on each article's title and alternative questions ranks the articles, lunr
// over the whole article adds lexical evidence, and thresholds calibrated on the KB itself say how
// confident a hit must be to answer. Training runs in worker threads and is cached by content.
import { Piscina } from 'piscina';
import type { Article, SynonymGroups } from '../types.js';
import type { Calibration } from './calibration.js';
import { modelKey, readCachedModel, writeCachedModel } from './model-cache.js';
import { analyzerFor, DEFAULT_SETTINGS, Ranker, type ModelSettings, type TrainedModel } from './model.js';
import { withWordExpansions } from './wordnet-expansions.js';
import { trainLocale, type TrainedLocale, type TrainingInput } from './training.js';

export type { Calibration };
export { ENGINE_VERSION, hasCachedModels } from './model-cache.js';

export interface EngineHit {
  id: string;
  /** higher is better; comparable within one query */
  score: number;
  /** calibrated probability-like confidence 0..1 that this article answers the query */
  confidence: number;
}

export interface LocaleIndex {
  locale: string;
  search(query: string, limit: number): EngineHit[];
  calibration: Calibration;
  /** how this index came to be: trained in a worker thread or inline, or found in this process's memory or the disk cache */
  source: 'worker' | 'inline' | 'memory' | 'cache' | 'empty';
  /** resolves once `calibration` is this content's own (at once, unless built with a provisional calibration) */
  calibrated: Promise<void>;
}

export interface BuildOptions {
  /** editor synonym groups for this locale (words in a group are the same word) */
  synonyms?: SynonymGroups;
  /** folder for trained models; unset: no cache */
  cacheDir?: string;
  /** train in this thread instead of a worker thread (scripts and tests that want no thread) */
  inline?: boolean;
  /** reuse a model this process trained for the same content (default true) */
  memo?: boolean;
  /** engine tuning; the defaults are what bench:quality measured best */
  settings?: Partial<ModelSettings>;
  /**
   * Thresholds to answer with until this content's own cross-validation finishes (on a reload: the
   * previous index's). The new articles are then searchable as soon as the model is trained, which is
   * several times faster than the calibration; `calibration` switches over when that is done.
   */
  provisionalCalibration?: Calibration;
  /** questions usage tied to an article (picked suggestions, articles agents sent): learnt like alternative questions */
  learned?: Array<{ articleId: string; question: string }>;
}

export async function buildLocaleIndex(locale: string, articles: Article[], options: BuildOptions = {}): Promise<LocaleIndex> {
  if (articles.length === 0) return { locale, calibration: { answerAt: 1, suggestAt: 1 }, source: 'empty', search: () => [], calibrated: Promise.resolve() };
  const input: TrainingInput = {
    locale,
    articles: withLearned(articles.map(searchableFields), options.learned ?? []),
    synonyms: options.synonyms ?? [],
    settings: { ...DEFAULT_SETTINGS, ...options.settings, features: { ...DEFAULT_SETTINGS.features, ...options.settings?.features } },
  };
  const key = modelKey(input);
  let source: LocaleIndex['source'] = 'memory';
  let trained = options.memo === false ? undefined : await recent.get(key);
  if (!trained && options.cacheDir) {
    source = 'cache';
    trained = await readCachedModel(options.cacheDir, locale, key);
  }
  if (!trained && options.provisionalCalibration && !options.inline) {
    // searchable as soon as the model is trained; the calibration follows
    const modelDone = modelInWorkers(input);
    const calibrationDone = inWorker<Calibration>(input, 'calibration');
    const training = Promise.all([modelDone, calibrationDone]).then(([model, calibration]) => ({ model, calibration }));
    remember(key, training);
    const index = searchable(locale, input, await modelDone, options.provisionalCalibration, 'worker');
    index.calibrated = training.then(async (fresh) => {
      index.calibration = fresh.calibration;
      if (options.cacheDir) await writeCachedModel(options.cacheDir, locale, key, fresh);
    }).catch(() => {}); // a failed calibration keeps the provisional thresholds
    return index;
  }
  if (!trained) {
    source = options.inline ? 'inline' : 'worker';
    const training = options.inline ? Promise.resolve().then(() => trainLocale(input)) : trainInWorkers(input);
    remember(key, training);
    const fresh = await training;
    if (options.cacheDir) await writeCachedModel(options.cacheDir, locale, key, fresh);
    trained = fresh;
  } else remember(key, Promise.resolve(trained));
  return searchable(locale, input, trained.model, trained.calibration, source);
}

/** The search function over a trained model (also used by the dev harnesses, without a worker). */
export function buildRankerFor(input: TrainingInput, model: TrainedModel): (query: string, limit: number) => EngineHit[] {
  const ranker = new Ranker(withWordExpansions(analyzerFor(input.locale, input.articles, input.synonyms), model.expansions), model, input.settings);
  return (query, limit) =>
    ranker
      .rank(query)
      .slice(0, Math.max(0, limit))
      .map((r) => ({ id: model.ids[r.index], score: r.score, confidence: r.probability }));
}

function searchable(locale: string, input: TrainingInput, model: TrainedModel, calibration: Calibration, source: LocaleIndex['source']): LocaleIndex {
  const search = buildRankerFor(input, model);
  return { locale, calibration, source, calibrated: Promise.resolve(), search };
}

/**
 * The last few trained models of this process, by content key: a reload where one locale changed
 * does not retrain the others, and many apps over the same KB (tests) train it once.
 */
const recent = new Map<string, Promise<TrainedLocale>>();
const RECENT_MODELS = 6;

function remember(key: string, training: Promise<TrainedLocale>): void {
  recent.delete(key);
  recent.set(key, training);
  training.catch(() => recent.get(key) === training && recent.delete(key));
  while (recent.size > RECENT_MODELS) recent.delete(recent.keys().next().value!);
}

/** Only what search reads goes to the worker and into the cache key (not rendered HTML, paths or dates). */
function searchableFields(a: Article): Article {
  return { ...a, body: '', html: '', path: '', updated: '', links: [] };
}

/** The articles with the learned questions added to their alternative questions (unknown articles and repeats left out). */
export function withLearned(articles: Article[], learned: Array<{ articleId: string; question: string }>): Article[] {
  if (learned.length === 0) return articles;
  const extra = new Map<string, string[]>();
  for (const { articleId, question } of learned) extra.set(articleId, [...(extra.get(articleId) ?? []), question]);
  return articles.map((a) => {
    const more = extra.get(a.id);
    if (!more) return a;
    const known = new Set(a.questions.map((q) => q.toLowerCase().trim()));
    return { ...a, questions: [...a.questions, ...more.filter((q) => !known.has(q.toLowerCase().trim()))] };
  });
}

/** Two threads: the model, and the cross-validation that calibrates it, are independent. */
async function trainInWorkers(input: TrainingInput): Promise<TrainedLocale> {
  const [model, calibration] = await Promise.all([modelInWorkers(input), inWorker<Calibration>(input, 'calibration')]);
  return { model, calibration };
}

/**
 * The training threads: a pool (piscina) of up to two, kept for a minute after their last task, so a
 * reload does not pay a thread's start (and, from TypeScript sources, tsx's) each time. Idle threads do
 * not keep the process alive.
 */
let pool: Piscina | undefined;

function trainingPool(): Piscina {
  const entry = new URL(`./train-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
  pool ??= new Piscina({
    filename: new URL('./train-worker-boot.mjs', import.meta.url).href,
    workerData: { entry },
    minThreads: 0,
    maxThreads: 2,
    idleTimeout: 60_000,
  });
  return pool;
}

/**
 * The model in two tasks: the article classifier (the long part) on one thread, the lexical index, the
 * category model and the WordNet expansions on the other, which then takes the calibration (queued after
 * both). On 10,000 articles the classifier thread no longer waits for the rest (about 2 s of 15).
 */
async function modelInWorkers(input: TrainingInput): Promise<TrainedModel> {
  const [core, side] = await Promise.all([
    inWorker<Pick<TrainedModel, 'ids' | 'features' | 'classifier'>>(input, 'classifier'),
    inWorker<Pick<TrainedModel, 'lexical' | 'categories' | 'expansions'>>(input, 'side'),
  ]);
  return { ...core, ...side };
}

function inWorker<T>(input: TrainingInput, task: 'classifier' | 'side' | 'calibration'): Promise<T> {
  return trainingPool().run({ input, task });
}

/**
 * Starts both training threads now (each loads the engine's code, about a second from TypeScript
 * sources), so that a build about to follow, e.g. once the articles are read, does not wait for that.
 */
export function warmTrainingThreads(): void {
  const warm = () => trainingPool().run({ task: 'warm' }).catch(() => {});
  void Promise.all([warm(), warm()]);
}
