import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decide } from '../bot/policy.js';
import { buildLocaleIndex, type LocaleIndex } from '../server/kb/search/engine.js';
import { decodeModel } from '../server/kb/search/model-cache.js';
import { ENGLISH, GERMAN, article } from './search-fixtures.js';

const top = (index: LocaleIndex, query: string) => index.search(query, 3)[0]?.id;
const decision = (index: LocaleIndex, query: string) =>
  decide({
    hits: index.search(query, 5).map((h) => ({ ...h, locale: index.locale, title: h.id, summary: '', url: '', snippet: '' })),
    calibration: index.calibration,
  }).kind;

const cacheDirs: string[] = [];
afterAll(() => cacheDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('search engine', async () => {
  const de = await buildLocaleIndex('de', GERMAN, { inline: true });
  const en = await buildLocaleIndex('en', ENGLISH, { inline: true });

  it('finds German articles whatever the punctuation, case and umlaut spelling', () => {
    expect(top(de, 'Versandkosten?')).toBe('versandkosten');
    expect(top(de, 'Kann ich per Ueberweisung zahlen?!')).toBe('ueberweisung');
    expect(top(de, 'ÜBERWEISUNG')).toBe('ueberweisung');
    expect(top(de, 'Retourenetikett')).toBe('ruecksendung');
    expect(top(de, 'groesse')).toBe('groesse');
  });

  it('finds a German article through the parts of a compound', () => {
    expect(top(de, 'Was kosten Lieferung und Versand')).toBe('versandkosten');
    expect(top(de, 'Lieferzeit')).toBe('lieferzeit');
  });

  it('finds English articles from paraphrased questions', () => {
    expect(top(en, "My card still hasn't come")).toBe('card-arrival');
    expect(top(en, 'forgot password!!')).toBe('reset-password');
    expect(top(en, 'money back please')).toBe('refund');
  });

  it('reads one typo in a longer word as the KB spells it: same hits, same confidence, same decision', () => {
    const pairs: Array<[LocaleIndex, string, string]> = [
      [de, 'Versandksoten?', 'Versandkosten?'],
      [de, 'Wo bekomme ich ein Retourenetiket', 'Wo bekomme ich ein Retourenetikett'],
      [de, 'Passwrot vergessen', 'Passwort vergessen'],
      [en, 'I forgot my pasword', 'I forgot my password'],
      [en, 'when will my refnud arrive', 'when will my refund arrive'],
      [en, 'cancle my order', 'cancel my order'],
    ];
    for (const [index, typo, clean] of pairs) {
      expect(index.search(typo, 3), typo).toEqual(index.search(clean, 3));
      expect(decision(index, typo), typo).toBe('answer');
    }
  });

  it('never throws on lunr query syntax or empty text', () => {
    for (const query of ['title:card^10', 'card~2', '+refund -fee', '*', ':^~+-*', '', '   ', '???', 'a'.repeat(5000)]) {
      expect(() => en.search(query, 5)).not.toThrow();
    }
    expect(en.search('', 5)).toEqual([]);
    expect(en.search('*', 5)).toEqual([]);
  });

  it('returns at most `limit` hits, best first, with confidences between 0 and 1', () => {
    const hits = en.search('card delivery', 3);
    expect(hits.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
    for (const h of hits) expect(h.confidence).toBeGreaterThanOrEqual(0), expect(h.confidence).toBeLessThanOrEqual(1);
  });

  it('calibrates its own thresholds on the KB: answers a clear question, declines an unrelated one', () => {
    for (const index of [de, en]) {
      expect(index.calibration.answerAt).toBeGreaterThan(0);
      expect(index.calibration.answerAt).toBeLessThanOrEqual(1);
      expect(index.calibration.suggestAt).toBeLessThanOrEqual(index.calibration.answerAt);
    }
    expect(decision(en, 'I forgot my password')).toBe('answer');
    expect(decision(en, 'What is the capital of Mongolia?')).not.toBe('answer');
    expect(decision(de, 'Wie setze ich mein Passwort zurück?')).toBe('answer');
    expect(decision(de, 'Wer hat die Fußball-Weltmeisterschaft 1954 gewonnen?')).not.toBe('answer');
  });

  it('applies editor synonyms to articles and questions alike', async () => {
    const withSynonyms = await buildLocaleIndex('en', ENGLISH, { inline: true, synonyms: [['refund', 'reimbursement']] });
    expect(top(withSynonyms, 'reimbursement')).toBe('refund');
  });

  it('builds an empty index for a locale without articles', async () => {
    const empty = await buildLocaleIndex('en', [], { inline: true });
    expect(empty.search('anything', 5)).toEqual([]);
  });

  it('trains in a worker thread and gives the same answers as inline training', async () => {
    const threaded = await buildLocaleIndex('en', ENGLISH, { memo: false });
    expect(threaded.source).toBe('worker');
    expect(threaded.search('forgot password', 3)).toEqual(en.search('forgot password', 3));
    expect(threaded.calibration).toEqual(en.calibration);
  });

  it("on a reload, serves the new articles before recalibrating, then switches to the new content's own thresholds", async () => {
    const edited = [...ENGLISH, article('en', 'gift-cards', 'Do you sell gift cards?', ['Can I buy a voucher?', 'gift card balance'])];
    const provisional = { answerAt: 0.99, suggestAt: 0.98 };
    const reloaded = await buildLocaleIndex('en', edited, { memo: false, provisionalCalibration: provisional });
    expect(top(reloaded, 'voucher')).toBe('gift-cards');
    expect(reloaded.calibration).toEqual(provisional);
    await reloaded.calibrated;
    const own = await buildLocaleIndex('en', edited, { inline: true, memo: false });
    expect(reloaded.calibration).toEqual(own.calibration);
  });

  it('reuses a model this process already trained for the same content', async () => {
    const again = await buildLocaleIndex('de', GERMAN, { inline: true });
    expect(again.source).toBe('memory');
    expect(again.search('Versandkosten', 3)).toEqual(de.search('Versandkosten', 3));
  });

  it('caches the trained model on disk by content, and retrains when the content changes', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-cache-'));
    cacheDirs.push(cacheDir);
    const first = await buildLocaleIndex('en', ENGLISH, { inline: true, cacheDir, memo: false });
    expect(first.source).toBe('inline');
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
    const again = await buildLocaleIndex('en', ENGLISH, { inline: true, cacheDir, memo: false });
    expect(again.source).toBe('cache');
    // the same ranking, scores and confidences for every question the articles know, and a few others
    const queries = [...ENGLISH.flatMap((a) => [a.title, ...a.questions]), 'where is my card', 'something else entirely'];
    for (const query of queries) expect(again.search(query, 5), query).toEqual(first.search(query, 5));
    expect(again.calibration).toEqual(first.calibration);

    const edited = [...ENGLISH, article('en', 'gift-cards', 'Do you sell gift cards?', ['Can I buy a voucher?', 'gift card balance'])];
    const retrained = await buildLocaleIndex('en', edited, { inline: true, cacheDir, memo: false });
    expect(retrained.source).toBe('inline');
    expect(top(retrained, 'voucher')).toBe('gift-cards');
    // the old model of this locale is removed, the new one kept
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
  });

  it('ignores a damaged or cut-short cache file: trains again, same answers, and writes a good file', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-cache-'));
    cacheDirs.push(cacheDir);
    const first = await buildLocaleIndex('en', ENGLISH, { inline: true, cacheDir, memo: false });
    const [name] = fs.readdirSync(cacheDir);
    const file = path.join(cacheDir, name);
    const good = fs.readFileSync(file);
    const damaged = Buffer.from(good);
    damaged[damaged.length - 3] ^= 0xff; // a weight's bytes
    for (const bytes of [damaged, good.subarray(0, Math.floor(good.length / 2)), Buffer.from('{"model":')]) {
      fs.writeFileSync(file, bytes);
      const rebuilt = await buildLocaleIndex('en', ENGLISH, { inline: true, cacheDir, memo: false });
      expect(rebuilt.source).toBe('inline');
      expect(rebuilt.search('where is my card', 3)).toEqual(first.search('where is my card', 3));
      expect(fs.readFileSync(file).equals(good)).toBe(true);
    }
    expect((await buildLocaleIndex('en', ENGLISH, { inline: true, cacheDir, memo: false })).source).toBe('cache');
  });

  it('reads a model file from bytes at any position in memory (typed arrays need aligned bytes)', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-cache-'));
    cacheDirs.push(cacheDir);
    await buildLocaleIndex('en', ENGLISH, { inline: true, cacheDir, memo: false });
    const bytes = fs.readFileSync(path.join(cacheDir, fs.readdirSync(cacheDir)[0]));
    const shifted = Buffer.alloc(bytes.length + 3);
    bytes.copy(shifted, 3);
    const model = decodeModel(shifted.subarray(3));
    expect(model).toEqual(decodeModel(bytes));
    expect(model.model.classifier.weights.length).toBeGreaterThan(0);
  });
});
