// Every sentence the bot says to a customer, in German and English. A locale the table does not
// know falls back to English, so a KB in a third language still gets a working (English) bot.
import type { Locale } from './ports.js';

export interface BotStrings {
  greeting: string;
  howCanIHelp: string;
  youAreWelcome: string;
  goodbye: string;
  answerLead: string;
  didThisAnswer: string;
  /** after didThisAnswer, when alternatives follow as chips */
  orDidYouMean: string;
  yesHelped: string;
  no: string;
  talkToPerson: string;
  readArticle: string;
  didYouMean: string;
  noneOfThese: string;
  rephrase: string;
  gladToHelp: string;
  somethingWentWrong: string;
}

const en: BotStrings = {
  greeting: 'Hi! I am the virtual assistant. Ask me anything, or ask for a person at any time.',
  howCanIHelp: 'How can I help you?',
  youAreWelcome: 'You are welcome! Anything else I can help with?',
  goodbye: 'Goodbye, and have a nice day!',
  answerLead: 'This article should help:',
  didThisAnswer: 'Did this answer your question?',
  orDidYouMean: 'Or did you mean one of these?',
  yesHelped: 'Yes, that helped',
  no: 'No',
  talkToPerson: 'Talk to a person',
  readArticle: 'Read the article',
  didYouMean: 'Did you mean one of these?',
  noneOfThese: 'None of these',
  rephrase: 'Sorry, I could not find anything about that. Could you say it in other words?',
  gladToHelp: 'Great, glad I could help! Anything else?',
  somethingWentWrong: 'Sorry, something went wrong on our side. Please try again in a moment.',
};

const de: BotStrings = {
  greeting: 'Hallo! Ich bin der virtuelle Assistent. Fragen Sie mich einfach, oder verlangen Sie jederzeit einen Mitarbeiter.',
  howCanIHelp: 'Wie kann ich Ihnen helfen?',
  youAreWelcome: 'Gern geschehen! Kann ich sonst noch etwas für Sie tun?',
  goodbye: 'Auf Wiedersehen und einen schönen Tag!',
  answerLead: 'Dieser Artikel sollte Ihnen helfen:',
  didThisAnswer: 'Hat das Ihre Frage beantwortet?',
  orDidYouMean: 'Oder meinten Sie eines davon?',
  yesHelped: 'Ja, das hat geholfen',
  no: 'Nein',
  talkToPerson: 'Mit einem Mitarbeiter sprechen',
  readArticle: 'Artikel lesen',
  didYouMean: 'Meinten Sie eines davon?',
  noneOfThese: 'Nichts davon',
  rephrase: 'Dazu habe ich leider nichts gefunden. Können Sie es mit anderen Worten sagen?',
  gladToHelp: 'Schön, dass ich helfen konnte! Noch etwas?',
  somethingWentWrong: 'Entschuldigung, bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal.',
};

const tables: Record<string, BotStrings> = { en, de };

export function stringsFor(locale: Locale): BotStrings {
  return tables[locale.slice(0, 2).toLowerCase()] ?? en;
}
