// The help center's interface text per locale. Article text comes from kb-content/; this is the frame.
export interface HelpStrings {
  siteTitle: string;
  skipToContent: string;
  language: string;
  indexHeading: string;
  topics: string;
  noArticles: string;
  searchLabel: string;
  searchPlaceholder: string;
  searchButton: string;
  search: string;
  searchHeading: (query: string) => string;
  resultCount: (count: number) => string;
  noResults: string;
  noResultsHint: string;
  notFoundYet: string;
  openChat: string;
  footerQuestion: string;
  breadcrumbs: string;
  updated: string;
  helpfulQuestion: string;
  yes: string;
  no: string;
  feedbackThanks: string;
  feedbackSorry: string;
  related: string;
  notFoundHeading: string;
  notFoundText: string;
  backToOverview: string;
  /** said in this language when its articles are not served and the page shows another language */
  languageUnavailable: (shownLanguage: string) => string;
  categories: Record<string, string>;
}

const de: HelpStrings = {
  siteTitle: 'Hilfe-Center',
  skipToContent: 'Zum Inhalt springen',
  language: 'Sprache',
  indexHeading: 'Wie können wir helfen?',
  topics: 'Themen',
  noArticles: 'Hier gibt es noch keine Artikel.',
  searchLabel: 'Hilfe-Artikel durchsuchen',
  searchPlaceholder: 'z. B. Wo ist mein Paket?',
  searchButton: 'Suchen',
  search: 'Suche',
  searchHeading: (query) => (query ? `Suchergebnisse für „${query}“` : 'Hilfe durchsuchen'),
  resultCount: (count) => (count === 1 ? '1 Artikel gefunden' : `${count} Artikel gefunden`),
  noResults: 'Dazu haben wir leider keinen Artikel gefunden.',
  noResultsHint: 'Versuchen Sie es mit anderen Wörtern – oder fragen Sie uns direkt im Chat, wir helfen gern.',
  notFoundYet: 'Nicht das Richtige dabei?',
  openChat: 'Chat starten',
  footerQuestion: 'Noch Fragen?',
  breadcrumbs: 'Sie sind hier',
  updated: 'Aktualisiert am',
  helpfulQuestion: 'War dieser Artikel hilfreich?',
  yes: 'Ja',
  no: 'Nein',
  feedbackThanks: 'Danke für Ihre Rückmeldung!',
  feedbackSorry: 'Schade, dass der Artikel nicht geholfen hat. Fragen Sie uns gern direkt:',
  related: 'Ähnliche Artikel',
  notFoundHeading: 'Artikel nicht gefunden',
  languageUnavailable: (shown) => `Artikel auf Deutsch sind im Moment nicht verfügbar. Diese Seite ist auf ${shown}.`,
  notFoundText: 'Diesen Artikel gibt es nicht (mehr). Vielleicht finden Sie die Antwort über die Suche:',
  backToOverview: 'Zur Übersicht',
  categories: {
    orders: 'Bestellung',
    delivery: 'Lieferung',
    returns: 'Rücksendung und Erstattung',
    payment: 'Bezahlung',
    account: 'Kundenkonto',
    contract: 'Vertrag',
    contact: 'Kontakt und Öffnungszeiten',
    vouchers: 'Gutscheine',
    'products-warranty': 'Produkte und Garantie',
    general: 'Allgemeines',
  },
};

const en: HelpStrings = {
  siteTitle: 'Help center',
  skipToContent: 'Skip to content',
  language: 'Language',
  indexHeading: 'How can we help?',
  topics: 'Topics',
  noArticles: 'There are no articles here yet.',
  searchLabel: 'Search help articles',
  searchPlaceholder: 'e.g. Where is my parcel?',
  searchButton: 'Search',
  search: 'Search',
  searchHeading: (query) => (query ? `Search results for “${query}”` : 'Search help'),
  resultCount: (count) => (count === 1 ? '1 article found' : `${count} articles found`),
  noResults: "Sorry, we couldn't find an article about that.",
  noResultsHint: 'Try other words – or ask us directly in the chat, we are happy to help.',
  notFoundYet: 'Not what you were looking for?',
  openChat: 'Start a chat',
  footerQuestion: 'Still have questions?',
  breadcrumbs: 'You are here',
  updated: 'Updated',
  helpfulQuestion: 'Was this article helpful?',
  yes: 'Yes',
  no: 'No',
  feedbackThanks: 'Thank you for your feedback!',
  feedbackSorry: "We're sorry this didn't help. Ask us directly:",
  related: 'Related articles',
  notFoundHeading: 'Article not found',
  languageUnavailable: (shown) => `Articles in English are not available at the moment. This page is in ${shown}.`,
  notFoundText: "This article doesn't exist (anymore). Maybe search finds your answer:",
  backToOverview: 'Back to the overview',
  categories: {
    orders: 'Orders',
    delivery: 'Delivery',
    returns: 'Returns and refunds',
    payment: 'Payment',
    account: 'Your account',
    contract: 'Contract',
    contact: 'Contact and opening hours',
    vouchers: 'Vouchers',
    'products-warranty': 'Products and warranty',
    general: 'General',
  },
};

const STRINGS: Record<string, HelpStrings> = { de, en };

/** Native names for the language switch. */
export const LANGUAGE_NAMES: Record<string, string> = { de: 'Deutsch', en: 'English' };

/** The interface text for a locale; English for a locale without its own. */
export function helpStrings(locale: string): HelpStrings {
  return STRINGS[locale] ?? en;
}

/** A category's display name: the translated one, else the folder name made readable. */
export function categoryName(locale: string, slug: string): string {
  const known = helpStrings(locale).categories[slug];
  if (known) return known;
  const words = slug.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
