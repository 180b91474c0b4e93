// Adding a customer's wording to an article's front matter changes that one list and no other byte.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { addQuestion, FrontMatterError } from '../server/insights/front-matter.js';

const ARTICLE = `---
# editors: keep the id stable
id: returns
title: "How do I return an item?"
questions:
  - send something back   # the most common wording
  - 'return label'
category: orders
summary: Print the label.
---
## Body

- not a question
`;

describe('addQuestion', () => {
  it('appends one line to a block list, keeping comments, quoting and order', () => {
    const out = addQuestion(ARTICLE, 'can i give back my shoes');
    expect(out).toBe(ARTICLE.replace("  - 'return label'\n", "  - 'return label'\n  - \"can i give back my shoes\"\n"));
  });

  it('extends a flow list and creates a missing list', () => {
    const flow = ARTICLE.replace(/questions:\n(.*\n){2}/, 'questions: [a, b] # flow\n');
    expect(addQuestion(flow, 'c')).toBe(flow.replace('[a, b]', '[a, b, "c"]'));
    const none = ARTICLE.replace(/questions:\n(.*\n){2}/, '');
    expect(addQuestion(none, 'new one')).toBe(none.replace('summary: Print the label.\n', 'summary: Print the label.\nquestions:\n  - "new one"\n'));
  });

  it('keeps CRLF line endings and quotes what YAML would misread', () => {
    const crlf = ARTICLE.replace(/\n/g, '\r\n');
    const out = addQuestion(crlf, 'key: value # not a comment');
    expect(out).toBe(crlf.replace("  - 'return label'\r\n", "  - 'return label'\r\n  - \"key: value # not a comment\"\r\n"));
    const fm = out.split('---')[1];
    expect(parseDocument(fm).toJS().questions).toEqual(['send something back', 'return label', 'key: value # not a comment']);
  });

  it('refuses a question the article already has, and a file without front matter', () => {
    expect(() => addQuestion(ARTICLE, 'Return  label')).toThrow(FrontMatterError);
    expect(() => addQuestion('# no front matter\n', 'x')).toThrow(/front matter/);
  });
});
