// Small hand-written knowledge bases for the search engine tests (German and English).
import type { Article } from '../server/kb/types.js';

export function article(locale: string, id: string, title: string, questions: string[], text = '', tags: string[] = []): Article {
  return { id, locale, title, questions, category: 'test', tags, summary: text.split('.')[0] ?? '', body: text, html: '', text, path: `${locale}/test/${id}.md`, updated: '2026-01-01T00:00:00.000Z', links: [] };
}

export const GERMAN: Article[] = [
  article('de', 'versandkosten', 'Was kostet der Versand?', ['Wie hoch sind die Versandkosten?', 'Muss ich für die Lieferung bezahlen?', 'Ist der Versand kostenlos?'], 'Der Versand kostet 4,90 Euro, ab 50 Euro Bestellwert ist er kostenlos.'),
  article('de', 'ueberweisung', 'Kann ich per Überweisung bezahlen?', ['Geht Zahlung auf Rechnung oder Überweisung?', 'Welche Bankverbindung habt ihr?', 'Wie lange dauert eine Überweisung?'], 'Ja, Sie können per Überweisung auf unser Konto bezahlen.'),
  article('de', 'ruecksendung', 'Wie schicke ich etwas zurück?', ['Wie funktioniert die Rücksendung?', 'Ich möchte einen Artikel zurückgeben', 'Wo bekomme ich ein Retourenetikett?'], 'Drucken Sie das Retourenetikett aus Ihrem Kundenkonto aus.'),
  article('de', 'passwort', 'Ich habe mein Passwort vergessen', ['Wie setze ich mein Passwort zurück?', 'Ich komme nicht in mein Konto', 'Anmeldung funktioniert nicht'], 'Klicken Sie bei der Anmeldung auf „Passwort vergessen“.'),
  article('de', 'lieferzeit', 'Wie lange dauert die Lieferung?', ['Wann kommt meine Bestellung an?', 'Wie lange ist die Lieferzeit?', 'Wo ist mein Paket?'], 'Die Lieferung dauert 2 bis 4 Werktage.'),
  article('de', 'groesse', 'Welche Größe passt mir?', ['Gibt es eine Größentabelle?', 'Fallen die Schuhe groß aus?', 'Wie messe ich meine Größe?'], 'Unsere Größentabelle finden Sie auf jeder Produktseite.'),
];

export const ENGLISH: Article[] = [
  article('en', 'card-arrival', 'When will my card arrive?', ['How long does card delivery take?', "My card hasn't arrived yet", 'Where is my new card?'], 'New cards arrive within 3 to 5 working days.', ['card', 'delivery']),
  article('en', 'reset-password', 'How do I reset my password?', ["I can't log in", 'I forgot my password', 'Password reset link does not work'], 'Use the "Forgot password" link on the login page.'),
  article('en', 'refund', 'How do I get a refund?', ['Can I get my money back?', 'I want to return an item for a refund', 'When will my refund arrive?'], 'Refunds are paid within 14 days of receiving the return.'),
  article('en', 'opening-hours', 'When are you open?', ['What are your opening hours?', 'Can I call you on Sunday?', 'When is customer service available?'], 'We are available Monday to Friday, 8 am to 6 pm.'),
  article('en', 'change-address', 'How do I change my delivery address?', ['I moved, how do I update my address?', 'Can I ship to a different address?', 'Wrong address on my order'], 'Change the address in your account before the order ships.'),
  article('en', 'cancel-order', 'How do I cancel my order?', ['Can I cancel an order?', 'I ordered by mistake', 'Stop my order please'], 'Orders can be cancelled until they ship.'),
];
