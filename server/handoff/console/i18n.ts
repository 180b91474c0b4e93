// The console's words in the agent's language: the server renders <html lang> from the agent's choice.
import { consoleStrings } from './strings.js';

export const t = consoleStrings(document.documentElement.lang);
