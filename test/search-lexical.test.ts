import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../server/kb/loader.js';
import { LexicalIndex } from '../server/kb/search/lexical.js';
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

  it('finds nothing for words no article has, and survives an index reloaded from JSON', () => {
    const analyzer = analyzerFor('en', ENGLISH);
    const index = LexicalIndex.build(ENGLISH.map((a) => lexicalDocument(analyzer, a)));
    expect(index.search(analyzer.analyze('xylophone quartz').terms).size).toBe(0);
    const reloaded = LexicalIndex.load(JSON.parse(JSON.stringify(index.toJSON())));
    const terms = analyzer.analyze('refund for my card').terms;
    expect(reloaded.search(terms)).toEqual(index.search(terms));
  });
});
