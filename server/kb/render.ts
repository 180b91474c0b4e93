// Article markdown -> safe HTML and plain text. Editors are trusted to write FAQ text, not markup:
// everything passes an allowlist, so a typed <script> or javascript: link never reaches a customer.
import { Marked, type Token } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Where the help center shows an article; the one place this URL shape is written. */
export function articlePath(id: string, locale: string): string {
  return `/help/articles/${encodeURIComponent(id)}?lang=${encodeURIComponent(locale)}`;
}

const ARTICLE_SCHEME = 'article:';
const SAFE_HREF = /^(https?:|mailto:|tel:)/i;
const RESOLVED_ARTICLE_HREF = /^\/help\/articles\/[^/?#]+\?lang=[\w-]+$/;

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code',
    'ul', 'ol', 'li', 'strong', 'em', 'del', 'a', 'img',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  // script/style contents are dropped with the tag, not shown as text
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe'],
  transformTags: {
    // only absolute safe links and our own resolved article links keep their href
    a: (tagName, attribs) => {
      const href = (attribs.href ?? '').trim();
      const keep = SAFE_HREF.test(href) || RESOLVED_ARTICLE_HREF.test(href);
      const { href: _dropped, ...rest } = attribs;
      return { tagName, attribs: keep ? { ...rest, href } : rest };
    },
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      return { tagName, attribs: src && /^https?:/i.test(src.trim()) ? { ...rest, src } : rest };
    },
  },
};

export interface RenderedBody {
  html: string;
  text: string;
  /** plain text of the first paragraph, for the summary fallback */
  firstParagraph: string;
  /** article ids the body links to, in order of appearance */
  links: string[];
}

/**
 * Renders an article body. `resolveLink` gets each `article:<id>` target and returns the href to use,
 * or undefined when the id does not exist (the link then shows as plain text).
 */
export function renderBody(markdown: string, resolveLink: (id: string) => string | undefined): RenderedBody {
  const links: string[] = [];
  let firstParagraph: string | undefined;
  const marked = new Marked({ gfm: true, async: false });
  const tokens = marked.lexer(markdown);
  marked.walkTokens(tokens, (token: Token) => {
    // the article title is the page's only h1
    if (token.type === 'heading' && token.depth === 1) token.depth = 2;
    if (token.type === 'link' && token.href.startsWith(ARTICLE_SCHEME)) {
      const id = token.href.slice(ARTICLE_SCHEME.length);
      links.push(id);
      token.href = resolveLink(id) ?? '';
    }
    if (firstParagraph === undefined && token.type === 'paragraph') {
      firstParagraph = htmlToText(sanitizeHtml(marked.parseInline(token.text) as string, SANITIZE));
    }
  });
  const html = sanitizeHtml(marked.parser(tokens) as string, SANITIZE).trim();
  return { html, text: htmlToText(html), firstParagraph: firstParagraph ?? '', links };
}

const BLOCK_END = /<\/(p|h[1-6]|li|pre|blockquote|tr|th|td)>|<br\s*\/?>/gi;

/** Plain text of sanitized HTML: tags dropped, entities decoded, blocks separated by newlines. */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(BLOCK_END, (m) => `${m}\n`);
  const stripped = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {}, nonTextTags: SANITIZE.nonTextTags });
  return decodeEntities(stripped)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Shortens plain text to about `max` characters at a word boundary. */
export function truncate(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}
