import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../server/kb/search/analysis.js';
import { createSpellingCorrector, withinOneEdit } from '../server/kb/search/spelling.js';

describe('typo tolerance against the KB vocabulary', () => {
  it('one edit is a missing, extra or wrong letter, or two neighbours swapped', () => {
    expect(withinOneEdit('return', 'retrun')).toBe(true);
    expect(withinOneEdit('return', 'retun')).toBe(true);
    expect(withinOneEdit('return', 'returrn')).toBe(true);
    expect(withinOneEdit('return', 'returm')).toBe(true);
    expect(withinOneEdit('return', 'rteurm')).toBe(false);
    expect(withinOneEdit('return', 'retur')).toBe(true);
    expect(withinOneEdit('return', 'ret')).toBe(false);
    expect(withinOneEdit('abcd', 'badc')).toBe(false);
  });

  it('reads an unknown longer word as the most frequent KB word one edit away', () => {
    const spelling = createSpellingCorrector(['parcel', 'parcel', 'parcels', 'parcel', 'invoice']);
    expect(spelling.correct('pracel')).toBe('parcel');
    // one edit from both "parcel" and "parcels": the KB's commoner word wins
    expect(spelling.correct('parcesl')).toBe('parcel');
    expect(spelling.correct('invoise')).toBe('invoice');
  });

  it('never changes a word the KB uses, a short word, or a word with no close KB word', () => {
    const spelling = createSpellingCorrector(['parcel', 'parcels', 'card', 'cart']);
    expect(spelling.correct('parcels')).toBeUndefined();
    expect(spelling.correct('cadr')).toBeUndefined();
    expect(spelling.correct('weather')).toBeUndefined();
    expect(spelling.correct('parc3l')).toBeUndefined();
  });

  it('the analyzer reads a misspelt question as the KB spells it, words and terms alike', () => {
    const en = createAnalyzer('en', { vocabulary: ['How do I return an item?', 'Where is my parcel?'] });
    expect(en.analyze('how do I retrun an item').terms).toEqual(en.analyze('how do I return an item').terms);
    expect(en.analyze('wher is my pracel').words).toEqual(['wher', 'is', 'my', 'parcel']);
    const de = createAnalyzer('de', { vocabulary: ['Was kostet der Versand?', 'Rechnung herunterladen'] });
    expect(de.analyze('Rechnnug').terms).toEqual(de.analyze('Rechnung').terms);
    // umlaut folding first: "Ruecksendung" and "Rücksendung" are one word, not a typo of each other
    const folded = createAnalyzer('de', { vocabulary: ['Rücksendung anmelden'] });
    expect(folded.analyze('Ruecksendung').terms).toEqual(folded.analyze('Rücksendung').terms);
  });

  it('a German compound the KB can split is split, not "corrected" into another word', () => {
    const de = createAnalyzer('de', { vocabulary: ['Versand', 'Kosten', 'Versandart'] });
    expect(de.analyze('Versandkosten').terms).toEqual(expect.arrayContaining(['versand', 'kost']));
  });
});
