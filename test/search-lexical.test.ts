import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../server/kb/loader.js';
import lunr from 'lunr';
import { FIELD_BOOSTS, LexicalIndex, type LexicalDocument } from '../server/kb/search/lexical.js';
import { analyzerFor, lexicalDocument } from '../server/kb/search/model.js';
import { ENGLISH, GERMAN } from './search-fixtures.js';

describe('lexical scores (lunr)', async () => {
  const sample = await loadKnowledgeBase('kb-content');
  const kbs = [
    ['en', ENGLISH],
    ['de', GERMAN],
    ['en (sample KB)', sample.articles.filter((a) => a.locale === 'en')],
    ['de (sample KB)', sample.articles.filter((a) => a.locale === 'de')],
  ] as const;
  for (const [name, articles] of kbs) {
    const locale = name.slice(0, 2);
    const analyzer = analyzerFor(locale, articles);
    const index = LexicalIndex.build(articles.map((a) => lexicalDocument(analyzer, a)));
    const queries = [
      ...articles.flatMap((a) => [a.title, ...a.questions]),
      'my card refund password order address',
      'wann kommt mein Paket und was kostet der Versand',
      'nothing known here at all',
      'card card card',
    ];

    it(`${name}: holds exactly the weights of lunr's own field vectors`, () => {
      const expected = weightsFromLunr(articles.map((a) => lexicalDocument(analyzer, a)));
      const data = index.toData();
      const actual = new Map<string, Map<string, number>>();
      data.terms.forEach((term, t) => {
        const weights = new Map<string, number>();
        for (let p = data.start[t]; p < data.start[t + 1]; p++) weights.set(data.ids[data.articles[p]], data.weights[p]);
        actual.set(term, weights);
      });
      expect(actual.size).toBeGreaterThan(10);
      expect(actual).toEqual(expected);
    });

    it(`${name}: adds up to lunr's own query scores, article by article`, () => {
      let compared = 0;
      for (const query of queries) {
        const terms = analyzer.analyze(query).terms;
        const fast = index.search(terms);
        const lunr = index.lunrSearch([...new Set(terms)]);
        expect([...fast.keys()].sort(), query).toEqual([...lunr.keys()].sort());
        for (const [id, score] of lunr) {
          expect(fast.get(id), `${query} / ${id}`).toBeCloseTo(score, 9);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(queries.length);
    });
  }

  it('finds nothing for words no article has, and survives an index copied as data (as to a thread)', () => {
    const analyzer = analyzerFor('en', ENGLISH);
    const index = LexicalIndex.build(ENGLISH.map((a) => lexicalDocument(analyzer, a)));
    expect(index.search(analyzer.analyze('xylophone quartz').terms).size).toBe(0);
    const reloaded = LexicalIndex.load(structuredClone(index.toData()));
    const terms = analyzer.analyze('refund for my card').terms;
    expect(reloaded.search(terms).size).toBeGreaterThan(0);
    expect(reloaded.search(terms)).toEqual(index.search(terms));
  });

  it('fuzzy matching: with lunr kept in the data, and refused by an index loaded without it', () => {
    const analyzer = analyzerFor('en', ENGLISH);
    const documents = ENGLISH.map((a) => lexicalDocument(analyzer, a));
    const terms = analyzer.analyze('refund for my card').terms;
    const withLunr = LexicalIndex.load(structuredClone(LexicalIndex.build(documents, { lunr: true }).toData()));
    expect(withLunr.search(terms, 4)).toEqual(LexicalIndex.build(documents).search(terms, 4));
    const without = LexicalIndex.load(structuredClone(LexicalIndex.build(documents).toData()));
    expect(() => without.search(terms, 4)).toThrow(/typoFrom/);
  });
});

/** The per-term weights as the index derived them from lunr's own index before it computed them itself. */
function weightsFromLunr(documents: LexicalDocument[]): Map<string, Map<string, number>> {
  const index = lunr(function () {
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.ref('id');
    for (const [field, boost] of Object.entries(FIELD_BOOSTS)) this.field(field, { boost });
    for (const doc of documents) this.add(doc);
  });
  const inverted = (index as unknown as { invertedIndex: Record<string, { _index: number }> }).invertedIndex;
  const termOf = new Map<number, string>();
  for (const [term, posting] of Object.entries(inverted)) termOf.set(posting._index, term);
  const weightsByTerm = new Map<string, Map<string, number>>();
  const fieldVectors = (index as unknown as { fieldVectors: Record<string, { elements: number[] }> }).fieldVectors;
  for (const [key, vector] of Object.entries(fieldVectors)) {
    const ref = key.slice(key.indexOf('/') + 1);
    for (let i = 0; i < vector.elements.length; i += 2) {
      const term = termOf.get(vector.elements[i])!;
      let weights = weightsByTerm.get(term);
      if (!weights) weightsByTerm.set(term, (weights = new Map()));
      weights.set(ref, (weights.get(ref) ?? 0) + vector.elements[i + 1]);
    }
  }
  return weightsByTerm;
}
