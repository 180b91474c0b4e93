// Everything expensive about a locale's index, as one pure function from articles to plain data:
// the worker thread runs it off the request path, and the result is what the disk cache keeps.
import type { Article, SynonymGroups } from '../types.js';
import { chooseThresholds, crossValidate, type Calibration } from './calibration.js';
import type { Analyzer } from './analysis.js';
import { articleWordExpansions } from './wordnet-expansions.js';
import { analyzerFor, plannedTraining, Ranker, trainClassifierPart, trainModel, trainSidePart, type ModelSettings, type TrainedModel } from './model.js';

export interface TrainingInput {
  locale: string;
  articles: Article[];
  synonyms: SynonymGroups;
  settings: ModelSettings;
}

export interface TrainedLocale {
  model: TrainedModel;
  calibration: Calibration;
}

/** Confidence of a ranking: the combined probability of the first article. */
export function confidenceOf(ranker: Ranker, query: string): { top: number[]; confidence: number } {
  const ranked = ranker.rank(query);
  return { top: ranked.slice(0, 3).map((r) => r.index), confidence: ranked[0]?.probability ?? 0 };
}

export function trainLocaleModel(input: TrainingInput): TrainedModel {
  const analyzer = analyzerFor(input.locale, input.articles, input.synonyms);
  return withExpansions(input, analyzer, trainModel(analyzer, input.articles, input.settings));
}

/** The article classifier alone: the long part, for one training thread. */
export function trainLocaleClassifier(input: TrainingInput): Pick<TrainedModel, 'ids' | 'features' | 'classifier'> {
  return trainClassifierPart(analyzerFor(input.locale, input.articles, input.synonyms), input.articles, input.settings);
}

/**
 * The rest of the model (lexical index, category model, WordNet expansions), for the other thread while the
 * classifier trains; with trainLocaleClassifier it makes the same model as trainLocaleModel.
 */
export function trainLocaleSide(input: TrainingInput): Pick<TrainedModel, 'lexical' | 'categories' | 'expansions'> {
  const analyzer = analyzerFor(input.locale, input.articles, input.synonyms);
  return withExpansions(input, analyzer, trainSidePart(analyzer, input.articles, input.settings));
}

/** The part of a model with the locale's WordNet expansions added (English; none for other languages). */
function withExpansions<T extends object>(input: TrainingInput, analyzer: Analyzer, part: T): T & Pick<TrainedModel, 'expansions'> {
  const expansions = articleWordExpansions(input.locale, input.articles, analyzer);
  return expansions ? { ...part, expansions } : part;
}

/** Independent of trainLocaleModel, so the two can run in parallel threads. */
export function calibrateLocale(input: TrainingInput): Calibration {
  const analyzer = analyzerFor(input.locale, input.articles, input.synonyms);
  // the cross-validation models contrast each question with as many rivals, and train as many steps,
  // as the full model does, so their confidences are on its scale even when they see a sample of a large KB
  const settings = { ...input.settings, ...plannedTraining(analyzer, input.articles, input.settings) };
  return chooseThresholds(crossValidate(analyzer, input.articles, settings, confidenceOf));
}

export function trainLocale(input: TrainingInput): TrainedLocale {
  return { model: trainLocaleModel(input), calibration: calibrateLocale(input) };
}
