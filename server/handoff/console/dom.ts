// Building the page from data. Strings always become text nodes (textContent), so customer text like
// `<img src=x onerror=alert(1)>` is shown, never parsed; attributes are set as properties or with setAttribute.
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | number | boolean> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'className') element.className = String(value);
    else if (name === 'href' && !/^(https?:|\/)/i.test(String(value))) continue; // no javascript: links from stored data
    else if (name in element && !name.includes('-')) (element as any)[name] = value;
    else element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function clear(element: Element): void {
  element.replaceChildren();
}

export interface DurationWords {
  underAMinute: string;
  minutes(n: number): string;
  hoursMinutes(h: number, m: number): string;
  days(n: number): string;
}

const ENGLISH: DurationWords = { underAMinute: 'under a minute', minutes: (n) => `${n} min`, hoursMinutes: (h, m) => `${h} h ${m} min`, days: (n) => `${n} days` };

export function timeAgo(iso: string | null, words: DurationWords = ENGLISH): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return words.underAMinute;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return words.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? words.hoursMinutes(hours, minutes % 60) : words.days(Math.floor(hours / 24));
}

export function clock(iso: string): string {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}
