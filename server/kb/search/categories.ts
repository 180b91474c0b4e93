// The editor's categories as evidence: a second softmax classifier, trained on the same examples as
// the article classifier but with each example labelled by its article's category, says which part of
// the help center a question is about. A category pools the words of all its articles, so it is
// recognised from fewer matching words than one article is; its log-probability, added to its
// articles' scores, keeps a question among the articles of the right topic. A KB with one category
// (the intent sets) gets no category model and ranks as before.
import { SoftmaxClassifier, type ClassifierData, type TrainingOptions } from './classifier.js';
import type { SparseVector } from './features.js';

export interface CategoryModelData {
  classifier: ClassifierData;
  /** category number of each article, in the order of the model's article ids */
  ofArticle: number[];
}

/** Probabilities under this floor count as the floor: a category the classifier ruled out is a penalty, not a veto. */
const MIN_PROBABILITY = 1e-6;

/** The category model for articles with these categories; undefined when they are all in one category. */
export function trainCategoryModel(
  articleCategories: string[],
  examples: SparseVector[],
  exampleArticles: number[],
  exampleWeights: number[],
  features: number,
  options: TrainingOptions,
): CategoryModelData | undefined {
  const names = [...new Set(articleCategories)];
  if (names.length < 2) return undefined;
  const ofArticle = articleCategories.map((c) => names.indexOf(c));
  // contrasted with as many rival categories as the article classifier has rival articles (all on a small KB)
  const classifier = SoftmaxClassifier.train(examples, exampleArticles.map((a) => ofArticle[a]), features, names.length, options, exampleWeights);
  return { classifier: classifier.data, ofArticle };
}

export class CategoryModel {
  private readonly classifier: SoftmaxClassifier;
  constructor(private readonly data: CategoryModelData) {
    this.classifier = new SoftmaxClassifier(data.classifier);
  }

  /** log P(category of article | query) for each article number. */
  articleLogProbabilities(query: SparseVector): Float64Array {
    const byCategory = new Float64Array(this.data.classifier.classes).fill(Math.log(MIN_PROBABILITY));
    for (const { article: category, probability } of this.classifier.predict(query)) byCategory[category] = Math.log(Math.max(probability, MIN_PROBABILITY));
    return Float64Array.from(this.data.ofArticle, (c) => byCategory[c]);
  }
}
