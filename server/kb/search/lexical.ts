// The lexical half of the engine: a lunr index over already-analysed terms. Queries go through
// `index.query` term by term, never through lunr's query parser, so `: ^ ~ + - *` in a customer's
// text are just characters that the analyzer already removed.
import lunr from 'lunr';

export interface LexicalDocument {
  id: string;
  title: string[];
  questions: string[];
  tags: string[];
  body: string[];
}

// measured: a title boost above the questions costs lunr 2 points top-1 on Banking77
export const FIELD_BOOSTS = { title: 1, questions: 1, tags: 1, body: 0.5 } as const;

/**
 * On a large KB, terms found in more articles than this are left out of the lunr query: they add
 * little to the ranking, and scoring every article that contains "the" or "my" costs time. (Leaving
 * out terms in more than half of the articles on small KBs too changed Banking77 by -0.1 point but
 * tipped an off-topic question on the sample KB into an answer: lunr's best hit then rests on one word.)
 */
const COMMON_TERM_ARTICLES = 100;

export class LexicalIndex {
  /**
   * lunr's scores, precomputed per term: for each article that has the term, the sum over its fields of
   * the term's weight in that field's vector (what lunr's query adds up for a term). See `search`.
   */
  private readonly weightsByTerm = new Map<string, Map<string, number>>();

  private constructor(private readonly index: lunr.Index) {
    const inverted = (index as unknown as { invertedIndex: Record<string, { _index: number }> }).invertedIndex;
    const termOf = new Map<number, string>();
    for (const [term, posting] of Object.entries(inverted)) termOf.set(posting._index, term);
    // field vectors are keyed "field/ref", one per field of every article; elements are [termIndex, weight, ...]
    const fieldVectors = (index as unknown as { fieldVectors: Record<string, { elements: number[] }> }).fieldVectors;
    for (const [key, vector] of Object.entries(fieldVectors)) {
      const ref = key.slice(key.indexOf('/') + 1);
      for (let i = 0; i < vector.elements.length; i += 2) {
        const term = termOf.get(vector.elements[i])!;
        let weights = this.weightsByTerm.get(term);
        if (!weights) this.weightsByTerm.set(term, (weights = new Map()));
        weights.set(ref, (weights.get(ref) ?? 0) + vector.elements[i + 1]);
      }
    }
  }

  static build(documents: LexicalDocument[]): LexicalIndex {
    const index = lunr(function () {
      // terms arrive analysed: no trimmer, stop-word filter or stemmer may touch them again
      this.pipeline.reset();
      this.searchPipeline.reset();
      this.ref('id');
      for (const [field, boost] of Object.entries(FIELD_BOOSTS)) this.field(field, { boost });
      for (const doc of documents) this.add(doc);
    });
    return new LexicalIndex(index);
  }

  static load(serialized: object): LexicalIndex {
    return new LexicalIndex(lunr.Index.load(serialized));
  }

  toJSON(): object {
    return this.index.toJSON();
  }

  /**
   * Scores per article id for the analysed query terms; `fuzzyFrom` adds edit distance 1 on terms of
   * that many letters or more (through lunr's query). Without it, the scores are lunr's for a query of
   * these terms (each field's query vector holds every term the index knows, weight 1, so an article's
   * score is the sum of its fields' weights of those terms over the square root of their number),
   * added up from the precomputed weights: lunr's query would also collect match metadata for every
   * article, which took four fifths of a search on a thousand articles.
   */
  search(terms: string[], fuzzyFrom = 0): Map<string, number> {
    const unique = [...new Set(terms)].filter((t) => (this.weightsByTerm.get(t)?.size ?? 0) <= COMMON_TERM_ARTICLES);
    if (fuzzyFrom > 0) return this.lunrSearch(unique, fuzzyFrom);
    const scores = new Map<string, number>();
    const known = unique.filter((t) => this.weightsByTerm.has(t));
    if (known.length === 0) return scores;
    const norm = Math.sqrt(known.length);
    for (const term of known) {
      for (const [ref, weight] of this.weightsByTerm.get(term) ?? []) scores.set(ref, (scores.get(ref) ?? 0) + weight / norm);
    }
    return scores;
  }

  /** The same scores through lunr's own query (fuzzy terms; and to check `search` against). */
  lunrSearch(terms: string[], fuzzyFrom = 0): Map<string, number> {
    const scores = new Map<string, number>();
    if (terms.length === 0) return scores;
    const results = this.index.query((q) => {
      for (const term of terms) {
        q.term(term, { usePipeline: false });
        if (fuzzyFrom > 0 && term.length >= fuzzyFrom) q.term(term, { usePipeline: false, editDistance: 1, boost: 0.3 });
      }
    });
    for (const r of results) scores.set(r.ref, r.score);
    return scores;
  }
}
