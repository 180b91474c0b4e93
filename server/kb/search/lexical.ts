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
 * little to the ranking, and scoring every article that contains "the" or "my" costs milliseconds.
 */
const COMMON_TERM_ARTICLES = 100;

export class LexicalIndex {
  private readonly articlesWith = new Map<string, number>();

  private constructor(private readonly index: lunr.Index) {
    const inverted = (index as unknown as { invertedIndex: Record<string, Record<string, object>> }).invertedIndex;
    for (const [term, posting] of Object.entries(inverted)) {
      const articles = new Set<string>();
      for (const [field, refs] of Object.entries(posting)) if (field !== '_index') for (const ref of Object.keys(refs)) articles.add(ref);
      this.articlesWith.set(term, articles.size);
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

  /** Scores per article id for the analysed query terms; `fuzzy` adds edit distance 1 on terms of `fuzzy` letters or more. */
  search(terms: string[], fuzzyFrom = 0): Map<string, number> {
    const scores = new Map<string, number>();
    const unique = [...new Set(terms)].filter((t) => (this.articlesWith.get(t) ?? 0) <= COMMON_TERM_ARTICLES);
    if (unique.length === 0) return scores;
    const results = this.index.query((q) => {
      for (const term of unique) {
        q.term(term, { usePipeline: false });
        if (fuzzyFrom > 0 && term.length >= fuzzyFrom) q.term(term, { usePipeline: false, editDistance: 1, boost: 0.3 });
      }
    });
    for (const r of results) scores.set(r.ref, r.score);
    return scores;
  }
}
