// The loader turns an editor's markdown files into articles, and every mistake into file:line: message.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../server/kb/loader.js';
import { article, copyKb, writeKbFile } from './fixtures/kb-fixtures.js';

describe('loading articles', () => {
  it('reads every article with its front matter, defaults and rendered body', async () => {
    const kb = copyKb();
    const { articles, problems, synonyms } = await loadKnowledgeBase(kb);
    expect(problems).toEqual([]);
    expect(articles.map((a) => `${a.locale}/${a.id}`).sort()).toEqual([
      'de/bank-transfer', 'de/card-payment', 'de/contact-us', 'de/parcel-tracking',
      'en/bank-transfer', 'en/card-payment', 'en/contact-us', 'en/parcel-tracking',
    ]);
    const transfer = articles.find((a) => a.locale === 'de' && a.id === 'bank-transfer')!;
    // id from the file name, category from the folder, summary from the first paragraph
    expect(transfer.category).toBe('payment');
    expect(transfer.path).toBe('de/payment/bank-transfer.md');
    expect(transfer.summary).toBe('Ja. Wählen Sie an der Kasse Vorkasse per Überweisung. Sie bekommen unsere IBAN mit der Bestellbestätigung; wir versenden, sobald das Geld da ist.');
    expect(transfer.questions).toEqual(['Bezahlen mit Vorkasse', 'Wohin überweise ich den Betrag?']);
    expect(transfer.tags).toEqual(['überweisung', 'vorkasse']);
    expect(transfer.html).toContain('<strong>Vorkasse per Überweisung</strong>');
    expect(transfer.text).not.toContain('**');
    expect(new Date(transfer.updated).getTime()).toBe(fs.statSync(path.join(kb, transfer.path)).mtime.getTime());
    expect(synonyms.get('de')).toEqual([['paket', 'sendung', 'lieferung'], ['karte', 'kreditkarte']]);
  });

  it('turns article: links into help center links in the same locale', async () => {
    const { articles } = await loadKnowledgeBase(copyKb());
    const tracking = articles.find((a) => a.locale === 'en' && a.id === 'parcel-tracking')!;
    expect(tracking.html).toContain('<a href="/help/articles/contact-us?lang=en">contact us</a>');
    expect(tracking.links).toEqual(['contact-us']);
  });

  it('shortens a long first paragraph to about 200 characters for the summary', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'en/account/long.md', article({ title: 'Long' }, `${'word '.repeat(100)}\n\nSecond paragraph.`));
    const { articles } = await loadKnowledgeBase(kb);
    const long = articles.find((a) => a.id === 'long')!;
    expect(long.summary.length).toBeLessThanOrEqual(201);
    expect(long.summary.endsWith('…')).toBe(true);
    expect(long.summary).not.toContain('Second');
  });
});

describe('unsafe markdown', () => {
  it('drops scripts, event handlers, iframes and javascript: links an editor typed', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'en/account/unsafe.md', article({ title: 'Unsafe' }, [
      'Hello <script>alert("x")</script> world.',
      '',
      '[click me](javascript:alert(1)) and <a href="JavaScript:alert(2)" onclick="steal()">this</a>',
      '',
      '<img src="https://cdn.example/a.png" onerror="alert(3)"> <iframe src="https://evil.example"></iframe>',
      '',
      '<style>body { display: none }</style>',
      '',
      '[mail us](mailto:help@example.com) [site](https://example.com/)',
    ].join('\n')));
    const { articles } = await loadKnowledgeBase(kb);
    const { html, text } = articles.find((a) => a.id === 'unsafe')!;
    expect(html).not.toMatch(/<script|<iframe|<style|onclick|onerror|javascript:/i);
    expect(text).not.toContain('alert');
    expect(html).toContain('<a>click me</a>');
    expect(html).toContain('<img src="https://cdn.example/a.png" />');
    expect(html).toContain('<a href="mailto:help@example.com">mail us</a>');
    expect(html).toContain('<a href="https://example.com/">site</a>');
  });
});

describe('problems name the file and line', () => {
  it('a missing title is reported at line 1 and the article is left out', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'de/account/no-title.md', '---\nsummary: Ohne Titel\n---\nText\n');
    const { articles, problems } = await loadKnowledgeBase(kb);
    expect(problems).toEqual([{ file: 'de/account/no-title.md', line: 1, message: expect.stringMatching(/missing title/) }]);
    expect(articles.some((a) => a.id === 'no-title')).toBe(false);
  });

  it('an empty title is reported at its line', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'de/account/empty-title.md', '---\nid: empty-title\ntitle: ""\n---\nText\n');
    const { problems } = await loadKnowledgeBase(kb);
    expect(problems).toEqual([{ file: 'de/account/empty-title.md', line: 3, message: 'missing title: the title is empty' }]);
  });

  it('bad YAML is reported at its line in the file', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'de/account/bad-yaml.md', '---\ntitle: Kaputt\ntags: [a, b\nsummary: x\n---\nText\n');
    const { problems } = await loadKnowledgeBase(kb);
    // the unclosed [ on line 3 is noticed where the next key starts
    expect(problems).toEqual([{ file: 'de/account/bad-yaml.md', line: 4, message: expect.stringMatching(/^bad YAML in front matter: Flow sequence/) }]);
  });

  it('a duplicate id names both files', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'de/payment/zzz-copy.md', article({ id: 'card-payment', title: 'Doppelt' }));
    const { articles, problems } = await loadKnowledgeBase(kb);
    expect(problems).toEqual([{ file: 'de/payment/zzz-copy.md', line: 2, message: 'duplicate id "card-payment" in de: also used by de/payment/card-payment.md' }]);
    expect(articles.find((a) => a.locale === 'de' && a.id === 'card-payment')!.title).toBe('Welche Kreditkarten nehmen Sie an?');
  });

  it('the same id in two locales is a translation, not a duplicate', async () => {
    const { problems } = await loadKnowledgeBase(copyKb());
    expect(problems).toEqual([]);
  });

  it('an unknown locale folder is reported', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'fr/payment/carte.md', article({ title: 'Carte' }));
    const { articles, problems } = await loadKnowledgeBase(kb);
    expect(problems).toEqual([{ file: 'fr', line: 1, message: 'unknown locale folder "fr" (supported: de, en)' }]);
    expect(articles.some((a) => a.locale === 'fr')).toBe(false);
  });

  it('a link to a missing article is reported at the body line where it appears', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'en/account/linking.md', '---\ntitle: Linking\n---\nFirst line.\n\nSee [old page](article:gone-forever) for more.\n');
    const { articles, problems } = await loadKnowledgeBase(kb);
    expect(problems).toEqual([{ file: 'en/account/linking.md', line: 6, message: 'link to unknown article "gone-forever" (no such id in en)' }]);
    // still served, the link shown as text
    expect(articles.find((a) => a.id === 'linking')!.html).toContain('See <a>old page</a> for more.');
  });

  it('a link to an id that exists only in the other locale is reported', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'de/account/only-de.md', article({ title: 'Nur deutsch' }));
    writeKbFile(kb, 'en/account/linker.md', article({ title: 'Linker' }, 'See [it](article:only-de).'));
    const { problems } = await loadKnowledgeBase(kb);
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual(['en/account/linker.md:4: link to unknown article "only-de" (no such id in en)']);
  });

  it('questions and tags must be lists', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'en/account/lists.md', '---\ntitle: Lists\nquestions: How do I?\ntags:\n  key: value\n---\nText\n');
    const { problems } = await loadKnowledgeBase(kb);
    expect(problems).toEqual([
      { file: 'en/account/lists.md', line: 3, message: expect.stringMatching(/^questions must be a list/) },
      { file: 'en/account/lists.md', line: 5, message: expect.stringMatching(/^tags must be a list/) },
    ]);
  });

  it('a file without front matter is reported', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'en/account/plain.md', '# Just markdown\n');
    const { problems } = await loadKnowledgeBase(kb);
    expect(problems).toEqual([{ file: 'en/account/plain.md', line: 1, message: expect.stringMatching(/missing title/) }]);
  });

  it('a synonyms file that is not a list of lists is reported at its line', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'en/synonyms.yml', '- [parcel, package]\n- shipment\n');
    const { problems, synonyms } = await loadKnowledgeBase(kb);
    expect(problems).toEqual([{ file: 'en/synonyms.yml', line: 2, message: expect.stringMatching(/synonym group must be a list/) }]);
    expect(synonyms.get('en')).toEqual([['parcel', 'package']]);
  });

  it('with a cache file: the same articles from unchanged files without parsing them again, and never a stale one', async () => {
    const kb = copyKb();
    writeKbFile(kb, 'en/account/linker.md', article({ title: 'Linker' }, 'See [the new page](article:new-page).'));
    const cacheFile = path.join(path.dirname(kb), 'cache', 'articles.json');
    const plain = await loadKnowledgeBase(kb);
    // files changed in the last two seconds are not cached (they may change again within a timestamp tick)
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const first = await loadKnowledgeBase(kb, { cacheFile });
    expect(first).toEqual(plain);
    const lines = fs.readFileSync(cacheFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + 9); // the code's version, then every file
    // the second load takes the unchanged files from the cache: a mark put into an entry shows
    const marked = lines.map((line) => {
      const entry = JSON.parse(line);
      if (entry[0] === 'en/payment/card-payment.md') entry[1].rendered.html = '<p>from the cache</p>';
      return JSON.stringify(entry);
    });
    fs.writeFileSync(cacheFile, `${marked.join('\n')}\n`);
    const second = await loadKnowledgeBase(kb, { cacheFile });
    expect(second.articles.find((a) => a.id === 'card-payment' && a.locale === 'en')!.html).toBe('<p>from the cache</p>');
    expect(second.problems).toEqual(plain.problems);

    // an edited file is read again; a link to an article that now exists is rendered again
    writeKbFile(kb, 'en/payment/card-payment.md', article({ title: 'Card payment, edited' }, 'New text.'));
    writeKbFile(kb, 'en/account/new-page.md', article({ title: 'New page' }));
    const third = await loadKnowledgeBase(kb, { cacheFile });
    const byId = (id: string) => third.articles.find((a) => a.id === id && a.locale === 'en')!;
    expect(byId('card-payment').title).toBe('Card payment, edited');
    expect(byId('card-payment').html).toBe('<p>New text.</p>');
    expect(byId('linker').html).toContain('href="/help/articles/new-page?lang=en"');
    expect(third).toEqual(await loadKnowledgeBase(kb));

    // a damaged or cut-short cache file is read as empty
    const good = fs.readFileSync(cacheFile);
    for (const bytes of [Buffer.from('{"version":'), good.subarray(0, good.length - 20)]) {
      fs.writeFileSync(cacheFile, bytes);
      expect(await loadKnowledgeBase(kb, { cacheFile })).toEqual(third);
    }
  });

  it('with a cache file: files changed just before a load are kept once they have settled, unless they changed again', async () => {
    const kb = copyKb();
    const cacheFile = path.join(path.dirname(kb), 'cache', 'articles.json');
    const first = await loadKnowledgeBase(kb, { cacheFile });
    const entries = () => (fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile, 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line)[0]) : []);
    expect(entries()).toEqual([]); // all copied a moment ago
    writeKbFile(kb, 'en/payment/card-payment.md', article({ title: 'Card payment, edited' }));
    await new Promise((resolve) => setTimeout(resolve, 2_600));
    expect(entries().sort()).toEqual(first.articles.map((a) => a.path).filter((p) => p !== 'en/payment/card-payment.md').sort());
    const again = await loadKnowledgeBase(kb, { cacheFile });
    expect(again.articles.find((a) => a.path === 'en/payment/card-payment.md')!.title).toBe('Card payment, edited');
    expect(again).toEqual(await loadKnowledgeBase(kb));
  });
});
