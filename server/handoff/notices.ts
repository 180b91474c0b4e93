// What the customer is told by the handoff, in their language (German or English; English for anything else).
// Short sentences: the same texts go out as SMS later.

export type NoticeLanguage = 'de' | 'en';

export function language(locale: string): NoticeLanguage {
  return locale.toLowerCase().startsWith('de') ? 'de' : 'en';
}

function minutes(n: number, lang: NoticeLanguage): string {
  if (lang === 'de') return n === 1 ? 'etwa 1 Minute' : `etwa ${n} Minuten`;
  return n === 1 ? 'about 1 minute' : `about ${n} minutes`;
}

export const notices = {
  queued(locale: string, position: number, waitMinutes: number): string[] {
    if (language(locale) === 'de') {
      return [
        'Ich verbinde Sie mit einem Menschen aus unserem Team. Sie müssen nichts wiederholen: Wir sehen den bisherigen Verlauf.',
        `Sie sind an Position ${position} der Warteschlange. Die Wartezeit beträgt ${minutes(waitMinutes, 'de')}.`,
      ];
    }
    return [
      "I'm handing you over to a person from our team. You won't need to repeat anything: they can see this conversation.",
      `You are number ${position} in the queue. The expected wait is ${minutes(waitMinutes, 'en')}.`,
    ];
  },

  offline(locale: string, backAt: string | undefined, timeZone: string): string[] {
    if (language(locale) === 'de') {
      return [
        backAt
          ? `Unser Team ist gerade nicht da. Wir sind ab ${backAt} Uhr (${timeZone}) wieder für Sie erreichbar.`
          : 'Unser Team ist gerade nicht da.',
        'Hinterlassen Sie hier Ihre E-Mail-Adresse oder Telefonnummer, dann antworten wir Ihnen dort. Ihre Anfrage bleibt in der Warteschlange.',
      ];
    }
    return [
      backAt ? `Our team is away right now. We're back on ${backAt} (${timeZone} time).` : 'Our team is away right now.',
      "Leave your e-mail address or phone number here and we'll answer you there. Your request stays in our queue.",
    ];
  },

  callbackRecorded(locale: string, contact: string): string {
    return language(locale) === 'de'
      ? `Danke! Wir antworten Ihnen an ${contact}, sobald unser Team wieder da ist.`
      : `Thank you! We'll answer you at ${contact} as soon as our team is back.`;
  },

  agentJoined(locale: string, agentName: string): string {
    return language(locale) === 'de' ? `${agentName} ist jetzt für Sie da.` : `${agentName} has joined the conversation.`;
  },

  handedBack(locale: string): string {
    return language(locale) === 'de'
      ? 'Sie schreiben jetzt wieder mit unserem digitalen Assistenten. Fragen Sie gern weiter.'
      : "You're back with our digital assistant. Feel free to ask anything else.";
  },

  resolved(locale: string): string {
    return language(locale) === 'de'
      ? 'Dieses Gespräch ist abgeschlossen. Wie zufrieden waren Sie? Bitte bewerten Sie uns mit 1 bis 5 Sternen.'
      : 'This conversation is closed. How did we do? Please rate us from 1 to 5 stars.';
  },
};
