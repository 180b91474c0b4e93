// The handoff's outcomes in words, German and English (English for anything else). Channels pick
// the sentences that fit them: the web and SMS read them, voice has its own spoken forms.
import type { EscalationReason, HandoffOutcome, Locale } from '../ports.js';

export type Language = 'de' | 'en';

export function language(locale: Locale): Language {
  return locale.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** "Monday, 24 November, 08:00" in the customer's language, on the team's clock. */
export function formatOpening(instant: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(instant);
}

function minutes(n: number, lang: Language): string {
  if (lang === 'de') return n === 1 ? 'etwa 1 Minute' : `etwa ${n} Minuten`;
  return n === 1 ? 'about 1 minute' : `about ${n} minutes`;
}

/** Why the bot hands over, said once, before the hand-over itself (empty when the customer asked). */
export function apology(reason: EscalationReason, locale: Locale): string {
  const de = language(locale) === 'de';
  if (reason === 'not_helpful') return de ? 'Schade, dass das nicht geholfen hat.' : 'Sorry that did not help.';
  if (reason === 'no_answer') return de ? 'Dazu finde ich leider keine Antwort.' : 'Sorry, I cannot find an answer to that.';
  return '';
}

export function passingOn(locale: Locale): string {
  return language(locale) === 'de'
    ? 'Ich gebe Sie an einen Kollegen weiter, der unser bisheriges Gespräch sieht.'
    : "I'm passing you on to a colleague, who can see our conversation so far.";
}

export function queuePosition(locale: Locale, position: number, waitMinutes: number): string {
  return language(locale) === 'de'
    ? `Sie sind an Position ${position} der Warteschlange. Die Wartezeit beträgt ${minutes(waitMinutes, 'de')}.`
    : `You are number ${position} in the queue. The expected wait is ${minutes(waitMinutes, 'en')}.`;
}

export function away(locale: Locale, nextOpening: string | null, timeZone: string): string {
  const backAt = nextOpening ? formatOpening(new Date(nextOpening), locale, timeZone) : undefined;
  if (language(locale) === 'de') {
    return backAt ? `Unser Team ist gerade nicht da. Wir sind ab ${backAt} Uhr (${timeZone}) wieder für Sie erreichbar.` : 'Unser Team ist gerade nicht da.';
  }
  return backAt ? `Our team is away right now. We're back on ${backAt} (${timeZone} time).` : 'Our team is away right now.';
}

export function leaveContact(locale: Locale): string {
  return language(locale) === 'de'
    ? 'Hinterlassen Sie hier Ihre E-Mail-Adresse oder Telefonnummer, dann antworten wir Ihnen dort. Ihre Anfrage bleibt in der Warteschlange.'
    : "Leave your e-mail address or phone number here and we'll answer you there. Your request stays in our queue.";
}

/** The notices the handoff stores outside a bot turn (agent joined, handed back, resolved, contact recorded). */
export function noticeText(outcome: Exclude<HandoffOutcome, { kind: 'queued' | 'offline' }>, locale: Locale): string {
  const de = language(locale) === 'de';
  switch (outcome.kind) {
    case 'callback_recorded':
      return de
        ? `Danke! Wir antworten Ihnen an ${outcome.contact}, sobald unser Team wieder da ist.`
        : `Thank you! We'll answer you at ${outcome.contact} as soon as our team is back.`;
    case 'agent_joined':
      return de ? `${outcome.agentName} ist jetzt für Sie da.` : `${outcome.agentName} has joined the conversation.`;
    case 'handed_back':
      return de
        ? 'Sie schreiben jetzt wieder mit unserem digitalen Assistenten. Fragen Sie gern weiter.'
        : "You're back with our digital assistant. Feel free to ask anything else.";
    case 'resolved':
      return de
        ? `Dieses Gespräch ist abgeschlossen. Wie zufrieden waren Sie? Bitte bewerten Sie uns mit ${outcome.ratingRequest.min} bis ${outcome.ratingRequest.max} Sternen.`
        : `This conversation is closed. How did we do? Please rate us from ${outcome.ratingRequest.min} to ${outcome.ratingRequest.max} stars.`;
  }
}

export function joinSentences(...parts: string[]): string {
  return parts.filter(Boolean).join(' ');
}
