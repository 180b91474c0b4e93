// A tiny DOM builder. Text is always a text node: nothing from the server goes through innerHTML (except an
// article body the server sanitised, in widget.ts).
type Child = Node | string | null | undefined | false;
type Props = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** An absolute http(s) URL, or null for anything else (javascript:, data:, garbage). */
export function safeUrl(url: string | undefined, base: string): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]]/gi;

/** Text as text nodes, with http(s) URLs turned into links (the link text is the URL itself). */
export function linkified(text: string, base: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const start = match.index ?? 0;
    const href = safeUrl(match[0], base);
    if (!href) continue;
    append(fragment, text.slice(last, start), h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, match[0]));
    last = start + match[0].length;
  }
  append(fragment, text.slice(last));
  return fragment;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A 24×24 stroke icon from our own path data. */
export function icon(...paths: string[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of paths) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}

export const ICONS = {
  chat: ['M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4h0A1.5 1.5 0 0 1 4 14.5z', 'M8.5 8.5h7M8.5 11.5h4.5'],
  close: ['M6 6l12 12M18 6L6 18'],
  chevronDown: ['M6 9l6 6 6-6'],
  send: ['M4.5 12h13', 'M12.5 6l6 6-6 6'],
  arrow: ['M5 12h13', 'M13 7l5 5-5 5'],
  clip: ['M16.5 7.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.6-5.6L5.9 12.5a6 6 0 0 0 8.5 8.5l6.1-6.1'],
};
