import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLocaleIndex } from '../server/kb/search/engine.js';
import { trainLocaleModel } from '../server/kb/search/training.js';
import { DEFAULT_SETTINGS } from '../server/kb/search/model.js';
import { buildWordExpansions } from '../server/kb/search/wordnet-expansions.js';
import { formsOf, lemmasOf, WordNet } from '../server/kb/search/wordnet.js';
import { article } from './search-fixtures.js';

const identity = (w: string) => w;

const KB = (locale: string) => [
  article(locale, 'roaming-eu', 'Using your phone in the EU', ['Does my plan work in the EU?'], 'Calls, texts and data in the EU cost the same as at home.'),
  article(locale, 'child-account', 'A phone for a child', ['Can I limit what a child can do?'], 'Parents can set spending limits for a child on the account.'),
  article(locale, 'pay-bill', 'How do I pay my bill?', ['Ways to pay'], 'Pay by card in the app or by direct debit.'),
  article(locale, 'signal', 'No signal on my phone', ['My phone shows no service'], 'Restart the phone and check the network status page.'),
];

describe('WordNet files', () => {
  const wordnet = WordNet.open()!;

  it('finds a lemma by binary search in the index and reads its synsets at their offsets', () => {
    const senses = wordnet.senses('kid', 'n');
    expect(senses.length).toBeGreaterThan(1);
    expect(wordnet.synset(senses[0], 'n').words).toContain('child');
    expect(wordnet.senses('no-such-lemma-here', 'n')).toEqual([]);
  });

  it('reads regular inflections back to their lemma and forms them from it', () => {
    expect(lemmasOf(wordnet, 'kids')).toContainEqual({ lemma: 'kid', pos: 'n' });
    expect(lemmasOf(wordnet, 'cheapest')).toContainEqual({ lemma: 'cheap', pos: 'a' });
    expect(lemmasOf(wordnet, 'stopped')).toContainEqual({ lemma: 'stop', pos: 'v' });
    expect(formsOf('stop', 'v')).toEqual(expect.arrayContaining(['stops', 'stopped', 'stopping']));
    expect(formsOf('country', 'n')).toContain('countries');
  });
});

describe('WordNet query expansion', () => {
  it('maps outside words to the KB words they are synonyms or members of, and never a KB word itself', () => {
    const map = buildWordExpansions('en', ['child', 'eu', 'phone'], identity)!;
    expect(map.kid?.map(([t]) => t)).toContain('child');
    expect(map.spain?.map(([t]) => t)).toContain('eu');
    expect(map.child).toBeUndefined();
  });

  it('builds nothing for German', () => {
    expect(buildWordExpansions('de', ['kind', 'eu'], identity)).toBeUndefined();
    expect(trainLocaleModel({ locale: 'de', articles: KB('de'), synonyms: [], settings: DEFAULT_SETTINGS }).expansions).toBeUndefined();
  });

  it("finds an English article from a customer's word the KB never uses", async () => {
    const en = await buildLocaleIndex('en', KB('en'), { inline: true, memo: false });
    expect(en.search('a week in spain', 3)[0]?.id).toBe('roaming-eu');
    expect(en.search('what can my kids do', 3)[0]?.id).toBe('child-account');
  });

  it('keeps the expansions in the cached model: a restart needs no WordNet to use them', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wordnet-cache-'));
    try {
      await buildLocaleIndex('en', KB('en'), { inline: true, memo: false, cacheDir });
      const cached = await buildLocaleIndex('en', KB('en'), { inline: true, memo: false, cacheDir });
      expect(cached.source).toBe('cache');
      expect(cached.search('a week in spain', 3)[0]?.id).toBe('roaming-eu');
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
