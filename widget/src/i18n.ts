// The widget's own words in German and English. Message text comes from the server in the conversation's locale.
export type Locale = 'de' | 'en';

const en = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  unread: (n: number) => (n === 1 ? '1 new message' : `${n} new messages`),
  title: 'Customer service',
  subtitleBot: 'Our assistant answers right away',
  subtitleQueued: 'Your request is with our team',
  subtitleAssigned: (name: string) => `You are chatting with ${name}`,
  subtitleAssignedTeam: 'You are chatting with our team',
  subtitleResolved: 'This conversation is closed',
  reconnecting: 'Connection lost. Reconnecting…',
  messages: 'Messages',
  conversation: 'Conversation',
  you: 'You',
  assistant: 'Assistant',
  team: 'Support team',
  inputLabel: 'Your message',
  placeholder: 'Write a message…',
  placeholderResolved: 'New question? Just type…',
  send: 'Send',
  typing: 'The assistant is typing',
  agentTyping: (name: string) => `${name} is typing`,
  readArticle: 'Read the article',
  readMore: 'Read more',
  readLess: 'Show less',
  earlier: 'Earlier conversation',
  suggestions: 'Suggested articles',
  quickReplies: 'Quick replies',
  notSent: 'Not sent.',
  retry: 'Try again',
  tooFast: 'You are sending messages very quickly. Please wait a moment.',
  attach: 'Attach an image or PDF',
  attachment: 'Attachment',
  attachRefused: (reason: string) => `The file was not sent: ${reason}`,
  tooLong: 'That message is too long. Please shorten it.',
  unreachable: 'We cannot reach the chat right now.',
  linkExpired: 'The link from our e-mail has expired and no longer opens that conversation. Write below to start a new one.',
  linkInvalid: 'This link does not open a conversation (it may be incomplete or the conversation was deleted). Write below to start a new one.',
  rateTitle: 'How did we do?',
  rateStars: 'Your rating',
  star: (n: number) => (n === 1 ? '1 star' : `${n} stars`),
  rateComment: 'Comment (optional)',
  rateSend: 'Send rating',
  rateChooseStars: 'Please choose from 1 to 5 stars.',
  rateThanks: 'Thank you for your feedback!',
};

const de: typeof en = {
  openChat: 'Chat öffnen',
  closeChat: 'Chat schließen',
  unread: (n) => (n === 1 ? '1 neue Nachricht' : `${n} neue Nachrichten`),
  title: 'Kundenservice',
  subtitleBot: 'Unser Assistent antwortet sofort',
  subtitleQueued: 'Ihre Anfrage liegt bei unserem Team',
  subtitleAssigned: (name) => `Sie chatten mit ${name}`,
  subtitleAssignedTeam: 'Sie chatten mit unserem Team',
  subtitleResolved: 'Dieses Gespräch ist beendet',
  reconnecting: 'Verbindung unterbrochen. Neuer Versuch…',
  messages: 'Nachrichten',
  conversation: 'Gesprächsverlauf',
  you: 'Sie',
  assistant: 'Assistent',
  team: 'Support-Team',
  inputLabel: 'Ihre Nachricht',
  placeholder: 'Nachricht schreiben…',
  placeholderResolved: 'Neue Frage? Einfach schreiben…',
  send: 'Senden',
  typing: 'Der Assistent schreibt',
  agentTyping: (name) => `${name} schreibt`,
  readArticle: 'Artikel lesen',
  readMore: 'Mehr lesen',
  readLess: 'Weniger anzeigen',
  earlier: 'Früheres Gespräch',
  suggestions: 'Passende Artikel',
  quickReplies: 'Schnellantworten',
  notSent: 'Nicht gesendet.',
  retry: 'Erneut versuchen',
  tooFast: 'Sie schreiben sehr schnell. Bitte warten Sie einen Moment.',
  attach: 'Bild oder PDF anhängen',
  attachment: 'Anhang',
  attachRefused: (reason: string) => `Die Datei wurde nicht gesendet: ${reason}`,
  tooLong: 'Die Nachricht ist zu lang. Bitte kürzen Sie sie.',
  unreachable: 'Der Chat ist gerade nicht erreichbar.',
  linkExpired: 'Der Link aus unserer E-Mail ist abgelaufen und öffnet das Gespräch nicht mehr. Schreiben Sie unten, um ein neues zu beginnen.',
  linkInvalid: 'Dieser Link öffnet kein Gespräch (vielleicht ist er unvollständig oder das Gespräch wurde gelöscht). Schreiben Sie unten, um ein neues zu beginnen.',
  rateTitle: 'Wie zufrieden waren Sie?',
  rateStars: 'Ihre Bewertung',
  star: (n) => (n === 1 ? '1 Stern' : `${n} Sterne`),
  rateComment: 'Kommentar (optional)',
  rateSend: 'Bewertung senden',
  rateChooseStars: 'Bitte wählen Sie 1 bis 5 Sterne.',
  rateThanks: 'Vielen Dank für Ihre Bewertung!',
};

export type Strings = typeof en;

const strings: Record<Locale, Strings> = { de, en };

/** data-locale wins, then the page's <html lang>, then the browser; anything not German is English. */
export function pickLocale(...candidates: Array<string | null | undefined>): Locale {
  for (const candidate of candidates) {
    const language = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    if (language) return language === 'de' ? 'de' : 'en';
  }
  return 'en';
}

export function stringsFor(locale: Locale): Strings {
  return strings[locale];
}
