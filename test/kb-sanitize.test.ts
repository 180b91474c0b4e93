// Article HTML stays inert on sanitize-html 2.17.5 (pinned: 2.17.6+ needs Node 22). The classes of problem
// reported against 2.17.x need a configuration we do not have; these cases pin that down with our options.
import { describe, expect, it } from 'vitest';
import { renderBody } from '../server/kb/render.js';

const render = (markdown: string) => renderBody(markdown, () => undefined).html;

describe('article HTML (sanitize-html with our options)', () => {
  it.each([
    '<xmp><img src=x onerror=alert(1)></xmp>',
    '<plaintext><img src=x onerror=alert(1)>',
    '<listing><img src=x onerror=alert(1)></listing>',
    '<noembed><img src=x onerror=alert(1)></noembed>',
    '<noframes><img src=x onerror=alert(1)></noframes>',
    '<title><img src=x onerror=alert(1)></title>',
    '<textarea></textarea><svg/onload=alert(1)>',
    '<style>*{background:url(javascript:alert(1))}</style><p style="color:red">x</p>',
  ])('raw-text and disallowed elements leave no live markup: %s', (markdown) => {
    const html = render(markdown);
    // text that looks like markup is escaped (&lt;img …): no real tag carries a handler, a style or a bad src
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    for (const tag of tags) expect(tag).toMatch(/^<(p|img|a)( alt="[^"]*")? ?\/?>$/);
    expect(html).not.toMatch(/<(svg|script|style|xmp|plaintext|listing|noembed|noframes|title|textarea)\b/i);
  });

  it('keeps only href on links and src on images, each with a safe scheme', () => {
    expect(render('<a href="https://example.org" ping="javascript:alert(1)" formaction="javascript:1" xlink:href="javascript:1">l</a>')).toBe('<p><a href="https://example.org">l</a></p>');
    expect(render('<a href="javascript:alert(1)">l</a> <a href=" JAVASCRIPT:alert(1)">m</a> <a href="//evil.example">n</a>')).toBe('<p><a>l</a> <a>m</a> <a>n</a></p>');
    expect(render('<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="a"> <img src="https://e.example/x.png" srcset="javascript:1" style="x">')).toBe('<p><img alt="a" /> <img src="https://e.example/x.png" /></p>');
    expect(render('<video poster="javascript:1"></video><form action="javascript:1"><button formaction="javascript:1">b</button></form>')).not.toMatch(/javascript|<video|<form|<button/i);
  });
});
