// Adds an alternative question to an article's front matter as a minimal text insertion: one new line
// (or one ", item" in a flow list), located with the yaml package's parser, so every other byte of the
// file (comments, key order, quoting, line endings) stays as it was.
import { isMap, isSeq, parseDocument, type Node as YamlNode } from 'yaml';

export class FrontMatterError extends Error {}

const FENCE = /^---[ \t]*$/;

/** The file with `question` appended to its `questions` list (created when absent). */
export function addQuestion(source: string, question: string): string {
  const clean = question.replace(/\s+/g, ' ').trim();
  if (!clean) throw new FrontMatterError('the question is empty');
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = source.slice(bom.length);
  const firstEnd = body.indexOf('\n');
  if (firstEnd < 0 || !FENCE.test(body.slice(0, firstEnd).replace(/\r$/, ''))) throw new FrontMatterError('the file does not start with front matter');
  const start = firstEnd + 1;
  // the closing fence: the first later line that is "---" or "..."
  let end = -1;
  for (let at = start; at < body.length; ) {
    const next = body.indexOf('\n', at);
    const line = body.slice(at, next < 0 ? body.length : next).replace(/\r$/, '');
    if (FENCE.test(line) || /^\.\.\.[ \t]*$/.test(line)) {
      end = at;
      break;
    }
    if (next < 0) break;
    at = next + 1;
  }
  if (end < 0) throw new FrontMatterError('the front matter is not closed');
  const yamlText = body.slice(start, end);
  const doc = parseDocument(yamlText);
  if (doc.errors.length) throw new FrontMatterError(`the front matter is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new FrontMatterError('the front matter is not "key: value" lines');
  const existing = (doc.toJS()?.questions ?? []) as unknown;
  if (Array.isArray(existing) && existing.some((q) => typeof q === 'string' && q.trim().toLowerCase() === clean.toLowerCase())) {
    throw new FrontMatterError('the article already has this question');
  }
  const quoted = JSON.stringify(clean); // a JSON string is a valid YAML double-quoted scalar
  const node = doc.contents ? (doc.contents.get('questions', true) as YamlNode | undefined) : undefined;
  let edited: string;
  if (node === undefined || node === null || (!isSeq(node) && (node as { value?: unknown }).value === null)) {
    if (node && node.range) {
      // "questions:" with no value: the list goes on the lines after the key
      const lineEnd = endOfLine(yamlText, node.range[0]);
      edited = `${yamlText.slice(0, lineEnd)}${eol}  - ${quoted}${yamlText.slice(lineEnd)}`;
    } else {
      const needsEol = yamlText.length > 0 && !yamlText.endsWith('\n');
      edited = `${yamlText}${needsEol ? eol : ''}questions:${eol}  - ${quoted}${eol}`;
    }
  } else if (isSeq(node) && node.range) {
    if (node.flow) {
      // [a, b] -> [a, b, "new"]: before the closing bracket
      const close = yamlText.lastIndexOf(']', node.range[1]);
      const inside = yamlText.slice(yamlText.indexOf('[', node.range[0]) + 1, close).trim();
      edited = `${yamlText.slice(0, close)}${inside ? `, ${quoted}` : quoted}${yamlText.slice(close)}`;
    } else {
      const items = node.items as YamlNode[];
      const last = items[items.length - 1];
      if (!last?.range) throw new FrontMatterError('the questions list is empty in a form this editor cannot extend');
      const lineStart = yamlText.lastIndexOf('\n', last.range[0] - 1) + 1;
      const indent = /^([ \t]*)-/.exec(yamlText.slice(lineStart))?.[1] ?? '  ';
      const lineEnd = endOfLine(yamlText, Math.max(last.range[1] - 1, last.range[0]));
      edited = `${yamlText.slice(0, lineEnd)}${eol}${indent}- ${quoted}${yamlText.slice(lineEnd)}`;
    }
  } else {
    throw new FrontMatterError('questions is not a list');
  }
  const result = `${bom}${body.slice(0, start)}${edited}${body.slice(end)}`;
  // the edit must parse and hold exactly the old questions plus the new one
  const check = parseDocument(edited);
  const after = check.toJS()?.questions as unknown;
  if (check.errors.length || !Array.isArray(after) || after[after.length - 1] !== clean) throw new FrontMatterError('the question could not be added without rewriting the file');
  return result;
}

/** index of the line break ending the line that contains `offset` (without a preceding \r), or the text's end */
function endOfLine(text: string, offset: number): number {
  const next = text.indexOf('\n', offset);
  if (next < 0) return text.length;
  return text[next - 1] === '\r' ? next - 1 : next;
}
