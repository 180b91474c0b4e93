// The trained model of one locale and how it ranks articles for a query. Training is a pure function
// from articles to plain data (so a worker thread can run it and a cache file can hold it).
import type { Article, SynonymGroups } from '../types.js';
import { createAnalyzer, surfaceWords, type Analyzer } from './analysis.js';
import { CategoryModel, trainCategoryModel, type CategoryModelData } from './categories.js';
import { iterationCount, rivalCount, SoftmaxClassifier, type ClassifierData } from './classifier.js';
import { DEFAULT_FEATURES, featureCount, FeatureSpace, type FeatureOptions, type FeatureSpaceData, type SparseVector } from './features.js';
import { LexicalIndex, type LexicalData, type LexicalDocument } from './lexical.js';
import { evenly } from './sampling.js';
import type { WordExpansions } from './wordnet-expansions.js';

export interface ModelSettings {
  /** L2 penalty of the classifier */
  l2: number;
  iterations: number;
  /** training starts from the nearest-centroid weights times this */
  warmStart: number;
  /** weight of the lunr score (normalised to the best hit) added to the classifier's log-probability */
  lexicalWeight: number;
  /** weight of the log-probability of an article's category (categories.ts) added to its score (0: no category model) */
  categoryWeight: number;
  /** lunr also matches words of at least this many letters with one typo (0: never) */
  typoFrom: number;
  /** (feature, article) pairs a training pass may touch; more means more rivals per example on a big KB */
  budget: number;
  minRivals: number;
  /** fixed number of rivals and of training steps (set by cross-validation to match the full model) */
  rivals?: number;
  exactIterations?: number;
  features: FeatureOptions;
  /** weight of each sentence of the body and summary as a training example (title and questions: 1) */
  sentenceWeight: number;
  /**
   * at most this many sentences of an article as examples (the first: an answer says the most at its start);
   * bounds the training time on long articles (the bench KBs have at most 14, the sample KB 25)
   */
  maxSentences: number;
}

export const DEFAULT_SETTINGS: ModelSettings = { l2: 0.3, iterations: 10, warmStart: 10, lexicalWeight: 0.3, categoryWeight: 0.25, typoFrom: 0, budget: 8_000_000, minRivals: 5, features: DEFAULT_FEATURES, sentenceWeight: 1, maxSentences: 20 };

export interface TrainedModel {
  ids: string[];
  features: FeatureSpaceData;
  classifier: ClassifierData;
  lexical: LexicalData;
  /** English only: query words outside the KB's vocabulary -> KB terms, from WordNet (wordnet-expansions.ts) */
  expansions?: WordExpansions;
  /** present when the articles are in two or more categories and categoryWeight > 0 */
  categories?: CategoryModelData;
}

export interface RankedArticle {
  index: number;
  /** combined log-score */
  score: number;
  /** probability after combining the classifier with lunr */
  probability: number;
}

/** The analyzer for a locale's articles: the KB's own words are the vocabulary for compound splitting. */
export function analyzerFor(locale: string, articles: Article[], synonyms?: SynonymGroups): Analyzer {
  const vocabulary = articles.flatMap((a) => [a.title, ...a.questions, ...a.tags, a.summary, a.text]);
  return createAnalyzer(locale, { synonyms, vocabulary });
}

/**
 * The short texts the classifier learns an article from: title, alternative questions, the editor's
 * tags as one text, and the summary (customers ask with the answer's words too); repeats left out.
 * Measured on the sample KB's own paraphrases: answered correctly 73 % -> 83 %, same wrong answers.
 */
export function trainingTexts(article: Article): string[] {
  const seen = new Set<string>();
  return [article.title, ...article.questions, article.tags.join(' '), article.summary].filter((text) => {
    const key = surfaceWords(text).join(' ');
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface TrainingExample {
  text: string;
  weight: number;
}

/** Sentences of a plain text: split at sentence ends, colons, semicolons and line breaks. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?;:])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => surfaceWords(s).length >= 2);
}

/**
 * Everything an article says, as weighted examples for the classifier: title, alternative questions,
 * tags and summary at full weight, and each sentence of the summary and body at `sentenceWeight`, so
 * that an article with no alternative questions is still known by the words of its answer.
 */
export function trainingExamples(article: Article, settings: Pick<ModelSettings, 'sentenceWeight' | 'maxSentences'>): TrainingExample[] {
  const seen = new Set<string>();
  const examples: TrainingExample[] = [];
  const add = (text: string, weight: number) => {
    const key = surfaceWords(text).join(' ');
    if (!key || seen.has(key)) return;
    seen.add(key);
    examples.push({ text, weight });
  };
  for (const text of trainingTexts(article)) add(text, 1);
  const own = examples.length;
  if (settings.sentenceWeight > 0) {
    for (const text of [...sentencesOf(article.summary), ...sentencesOf(article.text)]) {
      if (examples.length - own >= settings.maxSentences) break;
      add(text, settings.sentenceWeight);
    }
  }
  return examples;
}

export function lexicalDocument(analyzer: Analyzer, article: Article): LexicalDocument {
  const terms = (text: string) => analyzer.analyze(text).terms;
  return {
    id: article.id,
    title: terms(article.title),
    questions: article.questions.flatMap(terms),
    tags: article.tags.flatMap(terms),
    body: terms(`${article.summary} ${article.text}`),
  };
}

/** The rivals and training steps trainModel will use for these articles, without training (for cross-validation). */
export function plannedTraining(analyzer: Analyzer, articles: Article[], settings: ModelSettings): { rivals: number; exactIterations: number } {
  const features = articles.reduce((sum, a) => sum + trainingExamples(a, settings).reduce((n, t) => n + featureCount(analyzer.analyze(t.text), settings.features), 0), 0);
  const rivals = rivalCount(features, articles.length, settings);
  return { rivals, exactIterations: iterationCount(features * (rivals + 1), settings.iterations) };
}

export function trainModel(analyzer: Analyzer, articles: Article[], settings: ModelSettings = DEFAULT_SETTINGS): TrainedModel {
  const examples = exampleVectors(analyzer, articles, settings);
  const categories = categoryModelOf(articles, examples, settings);
  return { ...classifierOf(articles, examples, settings), lexical: lexicalOf(analyzer, articles, settings), ...(categories && { categories }) };
}

/** The article classifier and its feature space: the long part of training (one thread). */
export function trainClassifierPart(analyzer: Analyzer, articles: Article[], settings: ModelSettings = DEFAULT_SETTINGS): Pick<TrainedModel, 'ids' | 'features' | 'classifier'> {
  return classifierOf(articles, exampleVectors(analyzer, articles, settings), settings);
}

/**
 * What is trained beside the article classifier, in the other thread: the lexical index and the category
 * model (which fits the same feature space again: the same texts give the same space).
 */
export function trainSidePart(analyzer: Analyzer, articles: Article[], settings: ModelSettings = DEFAULT_SETTINGS): Pick<TrainedModel, 'lexical' | 'categories'> {
  const categories = settings.categoryWeight > 0 && new Set(articles.map((a) => a.category)).size > 1 ? categoryModelOf(articles, exampleVectors(analyzer, articles, settings), settings) : undefined;
  return { lexical: lexicalOf(analyzer, articles, settings), ...(categories && { categories }) };
}

type ExampleVectors = ReturnType<typeof exampleVectors>;

function trainingOptions(settings: ModelSettings) {
  return { l2: settings.l2, iterations: settings.iterations, exactIterations: settings.exactIterations, warmStart: settings.warmStart, budget: settings.budget, minRivals: settings.minRivals, rivals: settings.rivals };
}

function classifierOf(articles: Article[], { space, vectors, labels, weights }: ExampleVectors, settings: ModelSettings): Pick<TrainedModel, 'ids' | 'features' | 'classifier'> {
  const classifier = SoftmaxClassifier.train(vectors, labels, space.size, articles.length, trainingOptions(settings), weights);
  return { ids: articles.map((a) => a.id), features: space.toData(), classifier: classifier.data };
}

function categoryModelOf(articles: Article[], { space, vectors, labels, weights }: ExampleVectors, settings: ModelSettings): CategoryModelData | undefined {
  if (settings.categoryWeight <= 0) return undefined;
  const pick = <T,>(list: T[]): T[] => evenly(list, MAX_CATEGORY_EXAMPLES);
  return trainCategoryModel(articles.map((a) => a.category), pick(vectors), pick(labels), pick(weights), space.size, trainingOptions(settings));
}

function lexicalOf(analyzer: Analyzer, articles: Article[], settings: ModelSettings): LexicalData {
  return LexicalIndex.build(articles.map((a) => lexicalDocument(analyzer, a)), { lunr: settings.typoFrom > 0 }).toData();
}

/**
 * The category model learns from at most this many examples, spread evenly over the KB: a category pools
 * hundreds of articles on a large KB, so a sample knows it as well, and all 180,000 examples of 10,000
 * articles in 50 categories took 13 s of the build (as long as the article model). Smaller KBs use all.
 */
const MAX_CATEGORY_EXAMPLES = 30_000;

/**
 * The training examples as feature vectors. The analysed texts are garbage once this returns: on a large
 * KB they are millions of strings, which every garbage collection during training would walk again.
 */
function exampleVectors(analyzer: Analyzer, articles: Article[], settings: ModelSettings) {
  const texts = articles.flatMap((a, label) => trainingExamples(a, settings).map((t) => ({ text: analyzer.analyze(t.text), weight: t.weight, label })));
  const { space, vectors } = FeatureSpace.fit(texts.map((t) => t.text), settings.features);
  return { space, vectors, labels: texts.map((t) => t.label), weights: texts.map((t) => t.weight) };
}

/** A trained model ready to rank: feature space, classifier and lunr index rebuilt from their data. */
export class Ranker {
  private readonly space: FeatureSpace;
  private readonly classifier: SoftmaxClassifier;
  private readonly lexical: LexicalIndex;
  private readonly categories?: CategoryModel;
  private readonly position: Map<string, number>;

  constructor(
    readonly analyzer: Analyzer,
    readonly model: TrainedModel,
    readonly settings: ModelSettings = DEFAULT_SETTINGS,
  ) {
    this.space = FeatureSpace.fromData(model.features);
    this.classifier = new SoftmaxClassifier(model.classifier);
    this.lexical = LexicalIndex.load(model.lexical);
    if (model.categories && settings.categoryWeight > 0) this.categories = new CategoryModel(model.categories);
    this.position = new Map(model.ids.map((id, i) => [id, i]));
  }

  vectorize(query: string): { vector: SparseVector; terms: string[] } {
    const analysed = this.analyzer.analyze(query);
    return { vector: this.space.vectorize(analysed), terms: analysed.terms };
  }

  /** The articles the query is contrasted with (all of them on a small KB), best first; empty when it has no words. */
  rank(query: string): RankedArticle[] {
    const { vector, terms } = this.vectorize(query);
    if (terms.length === 0) return [];
    const predicted = this.classifier.predict(vector);
    const scores = new Map(predicted.map((p) => [p.article, Math.log(Math.max(p.probability, 1e-300))]));
    if (this.categories) {
      const category = this.categories.articleLogProbabilities(vector);
      for (const [k, s] of scores) scores.set(k, s + this.settings.categoryWeight * category[k]);
    }
    if (this.settings.lexicalWeight > 0) {
      const lexical = this.lexical.search(terms, this.settings.typoFrom);
      let best = 0;
      for (const s of lexical.values()) best = Math.max(best, s);
      for (const [id, s] of lexical) {
        const k = this.position.get(id)!;
        const score = scores.get(k);
        if (score !== undefined && best > 0) scores.set(k, score + (this.settings.lexicalWeight * s) / best);
      }
    }
    let max = -Infinity;
    for (const s of scores.values()) max = Math.max(max, s);
    let sum = 0;
    for (const s of scores.values()) sum += Math.exp(s - max);
    const ranked: RankedArticle[] = [];
    for (const [index, score] of scores) ranked.push({ index, score, probability: Math.exp(score - max) / sum });
    return ranked.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}
