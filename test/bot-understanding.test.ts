// What the keyword matcher understands, in German and English, and the locale detector.
import { describe, expect, it } from 'vitest';
import { detectLocale, understand } from '../bot/understanding.js';

describe('understand', () => {
  it.each([
    ['Hello', 'greeting'],
    ['Guten Morgen!', 'greeting'],
    ['Moin', 'greeting'],
    ['thanks!', 'thanks'],
    ['Vielen Dank', 'thanks'],
    ['bye', 'goodbye'],
    ['Auf Wiedersehen', 'goodbye'],
    ['agent', 'human'],
    ['I want to talk to a human', 'human'],
    ['Can I speak to a real person please?', 'human'],
    ['Mitarbeiter bitte', 'human'],
    ['Ich möchte mit einem Menschen sprechen', 'human'],
    ['Kann ich mit einem Berater reden?', 'human'],
    ['That did not help', 'not_helpful'],
    ["that didn't help at all", 'not_helpful'],
    ['Das hat mir nicht geholfen', 'not_helpful'],
    ['hilft nicht', 'not_helpful'],
    ['yes', 'yes'],
    ['Ja', 'yes'],
    ['no', 'no'],
    ['Nein', 'no'],
    ['Hallo, meine Karte ist nicht angekommen', 'question'],
    ['Hi, how do I change my PIN?', 'question'],
    ['Why was my transfer to another person declined because of my account limits?', 'question'],
    ['   ', 'empty'],
  ])('%s → %s', (text, kind) => {
    expect(understand(text).kind).toBe(kind);
  });

  it('maps button actions to intents', () => {
    expect(understand('Yes, that helped', 'feedback:yes').kind).toBe('yes');
    expect(understand('No', 'feedback:no').kind).toBe('no');
    expect(understand('Talk to a person', 'handoff').kind).toBe('human');
    expect(understand('None of these', 'suggest:none').kind).toBe('none_of_these');
    expect(understand('When will my card arrive?', 'article:card-arrival')).toEqual({ kind: 'show_article', articleId: 'card-arrival' });
  });
});

describe('detectLocale', () => {
  it.each([
    ['Wann kommt meine Karte an?', 'de'],
    ['Ich habe mein Passwort vergessen', 'de'],
    ['Überweisung rückgängig machen', 'de'],
    ['When will my card arrive?', 'en'],
    ['I forgot my password', 'en'],
  ])('%s → %s', (text, locale) => {
    expect(detectLocale(text, ['de', 'en'])).toBe(locale);
  });

  it('says nothing when the evidence is too thin', () => {
    expect(detectLocale('PIN', ['de', 'en'])).toBeUndefined();
    expect(detectLocale('Visa Mastercard', ['de', 'en'])).toBeUndefined();
  });
});
