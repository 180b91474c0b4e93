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

export const FIELD_BOOSTS = { title: 2, questions: 1, tags: 1, body: 0.5 } as const;

export class LexicalIndex {
  private constructor(private readonly index: lunr.Index) {}

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
    if (terms.length === 0) return scores;
    const unique = [...new Set(terms)];
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
