// The KB service: what the bot and the help center get from a search, and how edits reach it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../server/kb/service.js';
import { highlightSnippet } from '../server/kb/snippet.js';
import type { KnowledgeBaseService } from '../server/kb/types.js';
import { tempDir } from './helpers/services.js';
import { article, copyKb, writeKbFile } from './fixtures/kb-fixtures.js';

const open: KnowledgeBaseService[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((kb) => kb.close()));
});

interface Logged { level: string; message: string }

async function start(kbDir: string, options: { watch?: boolean } = {}) {
  const logged: Logged[] = [];
  const kb = await createKnowledgeBase({
    kbDir,
    publicUrl: 'https://help.example',
    watch: options.watch ?? false,
    cacheDir: path.join(tempDir('kb-cache-'), 'kb-cache'),
    logger: {
      info: (message) => logged.push({ level: 'info', message }),
      warn: (message) => logged.push({ level: 'warn', message }),
      error: (_details, message) => logged.push({ level: 'error', message }),
    },
  });
  open.push(kb);
  return { kb, logged };
}

const topId = async (kb: KnowledgeBaseService, query: string, locale: string) => (await kb.search(query, locale)).hits[0]?.id;

describe('finding the right article', () => {
  it.each([
    ['Wo ist mein Paket?', 'de', 'parcel-tracking'],
    ['Überweisung', 'de', 'bank-transfer'],
    ['überweisung!!', 'de', 'bank-transfer'],
    ['Kann ich mit Kreditkarte zahlen?', 'de', 'card-payment'],
    ['card?', 'en', 'card-payment'],
    ['Where is my parcel?', 'en', 'parcel-tracking'],
    ['bank transfer...', 'en', 'bank-transfer'],
  ])('"%s" (%s) finds %s first', async (query, locale, expected) => {
    const { kb } = await start(copyKb());
    expect(await topId(kb, query, locale)).toBe(expected);
  });

  it('a hit carries what the bot needs: title, summary, absolute url, score, confidence and calibration', async () => {
    const { kb } = await start(copyKb());
    const result = await kb.search('card?', 'en', { limit: 2 });
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.hits.length).toBeLessThanOrEqual(2);
    expect(result.hits[0]).toMatchObject({
      id: 'card-payment',
      locale: 'en',
      title: 'Which credit cards do you accept?',
      summary: 'We accept Visa, Mastercard and American Express.',
      url: 'https://help.example/help/articles/card-payment?lang=en',
    });
    expect(result.hits[0].confidence).toBeGreaterThanOrEqual(0);
    expect(result.hits[0].confidence).toBeLessThanOrEqual(1);
    expect(result.calibration).toEqual({ answerAt: expect.any(Number), alternativesAt: expect.any(Number), suggestAt: expect.any(Number) });
  });

  it('the start-up log says, per locale, the thresholds, what the calibration measured them on and which rule it used', async () => {
    const { kb, logged } = await start(copyKb());
    await kb.search('card?', 'en'); // the log line follows the calibration
    await new Promise((resolve) => setTimeout(resolve, 10));
    const line = logged.find((l) => l.message.startsWith('search en:'));
    expect(line?.message).toMatch(/^search en: answer at [\d.]+, with alternatives at [\d.]+, suggest at [\d.]+ \((measured on \d+ held-out alternative questions, \d+ held-out titles and \d+ texts of left-out articles; rule: .+|too few articles to measure on, so the built-in prior)\)$/);
  });

  it('the snippet marks the matched words, ignoring case and umlauts, on word prefixes', async () => {
    const { kb } = await start(copyKb());
    const [hit] = (await kb.search('Pakete', 'de')).hits;
    expect(hit.id).toBe('parcel-tracking');
    expect(hit.snippet).toContain('<mark>Paket</mark>');
    const [transfer] = (await kb.search('ÜBERWEISUNG', 'de')).hits;
    expect(transfer.snippet).toContain('<mark>Überweisung</mark>');
  });

  it('snippet matching folds umlauts and skips stop words', () => {
    expect(highlightSnippet('uberweisung', ['Zahlen per Überweisung.'])).toBe('Zahlen per <mark>Überweisung</mark>.');
    expect(highlightSnippet('Wo ist mein Paket?', ['Wo ist das Paket?'])).toBe('Wo ist das <mark>Paket</mark>?');
    expect(highlightSnippet('Strasse', ['Neue Straße eintragen'])).toBe('Neue <mark>Straße</mark> eintragen');
  });

  it('the snippet is escaped: text that looks like markup stays text', async () => {
    const kbDir = copyKb();
    writeKbFile(kbDir, 'en/account/tags.md', article({ title: 'Angle brackets', summary: 'Type <b>bold</b> & see.' }));
    const { kb } = await start(kbDir);
    const [hit] = (await kb.search('angle brackets bold', 'en')).hits;
    expect(hit.id).toBe('tags');
    expect(hit.snippet).toContain('&lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; see.');
  });

  it.each([':', '^', '~', '+', '-', '*', 'card:title^10', 'pay~2 +card -visa', '*', '"unclosed', 'field:', '~~~', '\\', '(((', '!!??', '  '])(
    'lunr query syntax in customer text does not throw: %s',
    async (query) => {
      const { kb } = await start(copyKb());
      const result = await kb.search(query, 'en');
      expect(Array.isArray(result.hits)).toBe(true);
    },
  );

  it('an empty or blank query has no hits', async () => {
    const { kb } = await start(copyKb());
    expect((await kb.search('', 'de')).hits).toEqual([]);
    expect((await kb.search('   \n ', 'de')).hits).toEqual([]);
  });

  it('an unknown locale falls back to the first one (German)', async () => {
    const { kb } = await start(copyKb());
    expect(kb.locales()).toEqual(['de', 'en']);
    const [hit] = (await kb.search('Überweisung', 'fr')).hits;
    expect(hit).toMatchObject({ id: 'bank-transfer', locale: 'de' });
  });

  it('a regional locale searches its language: en-GB is en', async () => {
    const { kb } = await start(copyKb());
    const [hit] = (await kb.search('card?', 'en-GB')).hits;
    expect(hit).toMatchObject({ id: 'card-payment', locale: 'en' });
  });
});

describe('content changes', () => {
  it('a broken file is reported with file and line and the previous index keeps serving', async () => {
    const kbDir = copyKb();
    const { kb, logged } = await start(kbDir);
    expect(await topId(kb, 'Überweisung', 'de')).toBe('bank-transfer');

    // the editor breaks the YAML and adds a new article in the same save
    fs.writeFileSync(path.join(kbDir, 'de/payment/bank-transfer.md'), '---\ntitle: Überweisung\ntags: [a, b\n---\nKaputt\n');
    writeKbFile(kbDir, 'de/payment/paypal.md', article({ title: 'Kann ich mit PayPal zahlen?' }));
    const result = await kb.reload();

    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ file: 'de/payment/bank-transfer.md', line: expect.any(Number) })]);
    expect(kb.problems()).toEqual(result.problems);
    const warning = logged.find((entry) => entry.level === 'warn' && entry.message.includes('bank-transfer.md:'));
    expect(warning?.message).toMatch(new RegExp(`${path.join(kbDir, 'de/payment/bank-transfer.md').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: bad YAML`));
    // still the last good content: the old article is found, the new one not yet
    expect(await topId(kb, 'Überweisung', 'de')).toBe('bank-transfer');
    expect(kb.article('bank-transfer', 'de')!.title).toBe('Kann ich per Überweisung bezahlen?');
    expect(kb.article('paypal', 'de')).toBeUndefined();

    // fixed: the new content serves
    fs.writeFileSync(path.join(kbDir, 'de/payment/bank-transfer.md'), article({ title: 'Überweisung und Vorkasse' }, 'Per Überweisung zahlen.'));
    expect((await kb.reload()).ok).toBe(true);
    expect(kb.problems()).toEqual([]);
    expect(kb.article('bank-transfer', 'de')!.title).toBe('Überweisung und Vorkasse');
    expect(await topId(kb, 'PayPal', 'de')).toBe('paypal');
  });

  it('a first load with problems serves the valid articles and reports the rest', async () => {
    const kbDir = copyKb();
    writeKbFile(kbDir, 'en/account/untitled.md', '---\nsummary: no title\n---\nText\n');
    const { kb } = await start(kbDir);
    expect(kb.isReady()).toBe(true);
    expect(kb.problems()).toEqual([{ file: 'en/account/untitled.md', line: 1, message: expect.stringMatching(/missing title/) }]);
    expect(await topId(kb, 'card?', 'en')).toBe('card-payment');
  });

  it('a saved edit is searchable within 2 seconds (file watcher)', async () => {
    const kbDir = copyKb();
    const { kb } = await start(kbDir, { watch: true });
    expect((await kb.search('Gutschein', 'de')).hits.map((h) => h.id)).not.toContain('voucher');

    const savedAt = Date.now();
    writeKbFile(kbDir, 'de/payment/voucher.md', article({ title: 'Wie löse ich einen Gutschein ein?', tags: ['gutschein'] }, 'Den Gutscheincode geben Sie an der Kasse ein.'));
    let found: string | undefined;
    while (Date.now() - savedAt < 2000) {
      found = await topId(kb, 'Gutschein einlösen', 'de');
      if (found === 'voucher') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(found).toBe('voucher');
    expect(Date.now() - savedAt).toBeLessThan(2000);
  });
});
