// The lexical half of the engine: lunr's scores over already-analysed terms, from per-term weights
// computed as lunr computes them. Fuzzy queries go through lunr's `index.query` term by term, never
// through its query parser, so `: ^ ~ + - *` in a customer's text are just characters that the
// analyzer already removed.
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

/** The lexical index as plain data (typed arrays: compact in memory and in the model cache). */
export interface LexicalData {
  /** article ids, in the order the documents were given */
  ids: string[];
  terms: string[];
  /** the articles that have terms[t] are articles[start[t] .. start[t+1]) (ascending), with their weights */
  start: Int32Array;
  articles: Int32Array;
  weights: Float64Array;
  /** lunr's own index, kept only for fuzzy matching (`build(…, { lunr: true })`) */
  lunr?: object;
}

/** lunr's BM25 parameters (its defaults, which this index has always used) */
const K1 = 1.2;
const B = 0.75;

export class LexicalIndex {
  private readonly termNumber = new Map<string, number>();
  private lunrIndex: lunr.Index | undefined;

  private constructor(
    private readonly data: LexicalData,
    private readonly documents?: LexicalDocument[],
  ) {
    data.terms.forEach((term, t) => this.termNumber.set(term, t));
    if (data.lunr) this.lunrIndex = lunr.Index.load(data.lunr);
  }

  /**
   * lunr's scores, precomputed per term: for each article that has the term, the sum over its fields of
   * the term's weight in that field's vector (what lunr's query adds up for a term; see `search`). The
   * weights are computed as lunr's builder computes its field vectors (BM25 with its k1 and b, the field
   * boost, rounded to 3 decimals) without building lunr's index, whose metadata per posting and token set
   * cost seconds and hundreds of megabytes on ten thousand articles and serve only fuzzy matching:
   * `lunr: true` builds it too (for `typoFrom`); `lunrSearch` otherwise builds it when first asked.
   */
  static build(documents: LexicalDocument[], options: { lunr?: boolean } = {}): LexicalIndex {
    const fields = Object.keys(FIELD_BOOSTS) as Array<keyof typeof FIELD_BOOSTS>;
    const termNumber = new Map<string, number>();
    const terms: string[] = [];
    /** (field, document) pairs that have the term: lunr's document frequency */
    const fieldPostings: number[] = [];
    const lengthSum = fields.map(() => 0);
    // per document and field: its length and term number -> count
    const counted = documents.map((doc) =>
      fields.map((field, f) => {
        const counts = new Map<number, number>();
        const tokens = doc[field] ?? [];
        lengthSum[f] += tokens.length;
        for (const token of tokens) {
          const term = String(token).toLowerCase(); // as lunr's tokenizer does with array items
          let t = termNumber.get(term);
          if (t === undefined) {
            termNumber.set(term, (t = terms.length));
            terms.push(term);
            fieldPostings.push(0);
          }
          const count = counts.get(t);
          if (count === undefined) fieldPostings[t]++;
          counts.set(t, (count ?? 0) + 1);
        }
        return { length: tokens.length, counts };
      }),
    );
    const n = documents.length;
    const idf = fieldPostings.map((df) => Math.log(1 + Math.abs((n - df + 0.5) / (df + 0.5))));
    const averageLength = lengthSum.map((sum) => sum / n);
    const postings: Array<{ articles: number[]; weights: number[] }> = terms.map(() => ({ articles: [], weights: [] }));
    counted.forEach((perField, d) => {
      perField.forEach(({ length, counts }, f) => {
        const boost = FIELD_BOOSTS[fields[f]] || 1;
        for (const [t, tf] of counts) {
          let score = (idf[t] * ((K1 + 1) * tf)) / (K1 * (1 - B + B * (length / averageLength[f])) + tf);
          score *= boost;
          const weight = Math.round(score * 1000) / 1000;
          // an article's weight for a term: its fields' weights added up in field order
          const posting = postings[t];
          const last = posting.articles.length - 1;
          if (posting.articles[last] === d) posting.weights[last] += weight;
          else {
            posting.articles.push(d);
            posting.weights.push(weight);
          }
        }
      });
    });
    const start = new Int32Array(terms.length + 1);
    postings.forEach((p, t) => (start[t + 1] = start[t] + p.articles.length));
    const articles = new Int32Array(start[terms.length]);
    const weights = new Float64Array(start[terms.length]);
    postings.forEach((p, t) => {
      articles.set(p.articles, start[t]);
      weights.set(p.weights, start[t]);
    });
    const index = new LexicalIndex({ ids: documents.map((d) => d.id), terms, start, articles, weights }, documents);
    if (options.lunr) index.lunr();
    return index;
  }

  static load(data: LexicalData): LexicalIndex {
    return new LexicalIndex(data);
  }

  /** The index as plain data; lunr's own index in it only if it was built (`lunr: true`, or a fuzzy search). */
  toData(): LexicalData {
    return this.lunrIndex ? { ...this.data, lunr: this.lunrIndex.toJSON() } : this.data;
  }

  /** How many articles have this term. */
  private articleCount(term: string): number {
    const t = this.termNumber.get(term);
    return t === undefined ? 0 : this.data.start[t + 1] - this.data.start[t];
  }

  /** lunr's own index over the same documents (built on first use from the documents this index was built from). */
  private lunr(): lunr.Index {
    if (this.lunrIndex) return this.lunrIndex;
    const documents = this.documents;
    if (!documents) throw new Error('this lexical index was loaded without lunr\'s index: fuzzy matching needs a model built with typoFrom');
    this.lunrIndex = lunr(function () {
      // terms arrive analysed: no trimmer, stop-word filter or stemmer may touch them again
      this.pipeline.reset();
      this.searchPipeline.reset();
      this.ref('id');
      for (const [field, boost] of Object.entries(FIELD_BOOSTS)) this.field(field, { boost });
      for (const doc of documents) this.add(doc);
    });
    return this.lunrIndex;
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
    const unique = [...new Set(terms)].filter((t) => this.articleCount(t) <= COMMON_TERM_ARTICLES);
    if (fuzzyFrom > 0) return this.lunrSearch(unique, fuzzyFrom);
    const scores = new Map<string, number>();
    const known = unique.filter((t) => this.termNumber.has(t));
    if (known.length === 0) return scores;
    const norm = Math.sqrt(known.length);
    const { ids, start, articles, weights } = this.data;
    for (const term of known) {
      const t = this.termNumber.get(term)!;
      for (let p = start[t]; p < start[t + 1]; p++) {
        const ref = ids[articles[p]];
        scores.set(ref, (scores.get(ref) ?? 0) + weights[p] / norm);
      }
    }
    return scores;
  }

  /** The same scores through lunr's own query (fuzzy terms; and to check `search` against). */
  lunrSearch(terms: string[], fuzzyFrom = 0): Map<string, number> {
    const scores = new Map<string, number>();
    if (terms.length === 0) return scores;
    const results = this.lunr().query((q) => {
      for (const term of terms) {
        q.term(term, { usePipeline: false });
        if (fuzzyFrom > 0 && term.length >= fuzzyFrom) q.term(term, { usePipeline: false, editDistance: 1, boost: 0.3 });
      }
    });
    for (const r of results) scores.set(r.ref, r.score);
    return scores;
  }
}
