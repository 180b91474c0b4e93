import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../server/kb/loader.js';
import { DEFAULT_FEATURES, FeatureSpace } from '../server/kb/search/features.js';
import { analyzerFor, DEFAULT_SETTINGS, trainingExamples } from '../server/kb/search/model.js';
import { ENGLISH, GERMAN } from './search-fixtures.js';

describe('feature space', async () => {
  const sample = await loadKnowledgeBase('kb-content');
  const kbs = [
    ['en', ENGLISH],
    ['de', GERMAN],
    ['en', sample.articles.filter((a) => a.locale === 'en')],
    ['de', sample.articles.filter((a) => a.locale === 'de')],
  ] as const;

  it('fit gives every training text the vector `vectorize` gives it, over the sorted names with their IDF', () => {
    for (const [locale, articles] of kbs) {
      const analyzer = analyzerFor(locale, articles);
      const texts = articles.flatMap((a) => trainingExamples(a, DEFAULT_SETTINGS).map((t) => analyzer.analyze(t.text)));
      const { space, vectors } = FeatureSpace.fit(texts, DEFAULT_FEATURES);
      // the names and document frequencies, counted the plain way
      const df = new Map<string, number>();
      for (const text of texts) {
        const names = new Set(text.terms.map((t) => `w${t}`));
        for (const w of text.words) for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= w.length + 2; i++) names.add(`c${` ${w} `.slice(i, i + n)}`);
        for (const name of names) df.set(name, (df.get(name) ?? 0) + 1);
      }
      const data = space.toData();
      expect(data.names).toEqual([...df.keys()].sort());
      expect(Array.from(data.idf)).toEqual(data.names.map((name) => Math.fround(Math.log((1 + texts.length) / (1 + df.get(name)!)) + 1)));
      expect(vectors).toHaveLength(texts.length);
      texts.forEach((text, i) => expect(vectors[i]).toEqual(space.vectorize(text)));
    }
  });

  it('a text with a word seen twice counts it twice (words and n-grams)', () => {
    const text = { words: ['card', 'card', 'pin'], terms: ['card', 'card', 'pin'] };
    const { space, vectors } = FeatureSpace.fit([text, { words: ['pin'], terms: ['pin'] }]);
    expect(vectors[0]).toEqual(space.vectorize(text));
    const once = FeatureSpace.fit([{ words: ['card', 'pin'], terms: ['card', 'pin'] }, { words: ['pin'], terms: ['pin'] }]);
    expect(vectors[0].values).not.toEqual(once.vectors[0].values);
  });
});
