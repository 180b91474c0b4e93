import { describe, expect, it } from 'vitest';
import { createAnalyzer, surfaceWords } from '../server/kb/search/analysis.js';

describe('text analysis (the same for articles and questions)', () => {
  it('lowercases, joins apostrophes and turns punctuation into spaces', () => {
    expect(surfaceWords("Why hasn't my CARD arrived?!")).toEqual(['why', 'hasnt', 'my', 'card', 'arrived']);
    expect(surfaceWords('card?')).toEqual(['card']);
    expect(surfaceWords('e-mail/SMS: 24h')).toEqual(['e', 'mail', 'sms', '24h']);
  });

  it('keeps stop words: "how" and "my" carry meaning in questions', () => {
    expect(createAnalyzer('en').analyze('how do I reset my password').terms).toEqual(expect.arrayContaining(['how', 'my']));
    expect(createAnalyzer('de').analyze('wie ändere ich mein Passwort').terms).toEqual(expect.arrayContaining(['wie', 'mein']));
  });

  it('normalises Unicode so composed and decomposed umlauts are one word', () => {
    const de = createAnalyzer('de');
    expect(de.analyze('Überweisung').terms).toEqual(de.analyze('U\u0308berweisung').terms);
  });

  it('folds German umlauts both ways: "Ueberweisung" is "Überweisung", "Strasse" is "Straße"', () => {
    const de = createAnalyzer('de');
    expect(de.analyze('Ueberweisung').terms).toEqual(de.analyze('Überweisung').terms);
    expect(de.analyze('ueberweisung').terms).toEqual(de.analyze('ÜBERWEISUNG').terms);
    expect(de.analyze('Strasse').terms).toEqual(de.analyze('Straße').terms);
    expect(de.analyze('Groesse').terms).toEqual(de.analyze('Größe').terms);
  });

  it('does not strip a leading umlaut or a trailing ß (the lunr trimmer trap)', () => {
    const de = createAnalyzer('de');
    const [term] = de.analyze('Überweisung').terms;
    expect(term.startsWith('ue')).toBe(true);
    expect(de.analyze('groß').terms[0]).toBe(de.analyze('gross').terms[0]);
    expect(de.analyze('groß').terms[0].length).toBeGreaterThan(2);
  });

  it('stems German and English inflections to one term', () => {
    const de = createAnalyzer('de');
    expect(de.analyze('Lieferungen').terms).toEqual(de.analyze('Lieferung').terms);
    const en = createAnalyzer('en');
    expect(en.analyze('refunds').terms).toEqual(en.analyze('refund').terms);
  });

  it('splits German compounds into parts the KB itself uses', () => {
    const de = createAnalyzer('de', { vocabulary: ['Der Versand kostet', 'Die Kosten der Lieferung', 'Adresse ändern'] });
    const versand = de.analyze('Versand').terms[0];
    const kosten = de.analyze('Kosten').terms[0];
    expect(de.analyze('Versandkosten').terms).toEqual(expect.arrayContaining([versand, kosten]));
    // with a linking s: Lieferungsadresse -> Lieferung + Adresse
    expect(de.analyze('Lieferungsadresse').terms).toEqual(expect.arrayContaining([de.analyze('Lieferung').terms[0], de.analyze('Adresse').terms[0]]));
    // words the KB does not know are left whole
    expect(de.analyze('Donaudampfschiff').terms).toHaveLength(1);
  });

  it('does not split compounds in English', () => {
    const en = createAnalyzer('en', { vocabulary: ['pass word', 'cash back'] });
    expect(en.analyze('password').terms).toEqual(['password']);
  });

  it('maps editor synonyms, single words and phrases, to the first entry of their group', () => {
    const en = createAnalyzer('en', { synonyms: [['mobile', 'cell phone', 'smartphone']] });
    expect(en.analyze('my smartphone').terms).toEqual(en.analyze('my mobile').terms);
    expect(en.analyze('my cell phone broke').terms).toEqual(en.analyze('my mobile broke').terms);
    const de = createAnalyzer('de', { synonyms: [['Handy', 'Mobiltelefon']] });
    expect(de.analyze('Mobiltelefon').terms).toEqual(de.analyze('Handy').terms);
  });

  it('turns lunr query syntax characters into nothing', () => {
    const en = createAnalyzer('en');
    expect(en.analyze('title:card^10 ~2 +refund -fee *').terms).toEqual(en.analyze('title card 10 2 refund fee').terms);
    expect(en.analyze(':^~+-*').terms).toEqual([]);
  });
});
