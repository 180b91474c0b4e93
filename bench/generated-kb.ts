// A large labelled question set (JSON lines {"text","label"}) for make-kb.mjs, to time the engine on a
// 1,000-article knowledge base with realistic text: each label is one Banking77 intent about one of
// several invented products ("… my card for the Lorimo plan?"), so both the intent and the product
// must be recognised. Seeded: the same file every run.
import fs from 'node:fs';

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka ri to me su la no vi de ra po li mu sa te ko ba ne gi fu ha ze lo da mi pe tu'.split(' ');

/** Writes `labels` labels of `perLabel` questions each, built from the intents in `sourceJsonl`. */
export function writeGeneratedQuestions(sourceJsonl: string, file: string, labels = 1000, perLabel = 15, seed = 7): void {
  const rnd = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(rnd() * items.length)];
  const byIntent = new Map<string, string[]>();
  for (const line of fs.readFileSync(sourceJsonl, 'utf8').split('\n').filter(Boolean)) {
    const { text, label } = JSON.parse(line) as { text: string; label: string };
    byIntent.set(label, [...(byIntent.get(label) ?? []), text]);
  }
  const intents = [...byIntent.keys()].sort();
  const products = new Set<string>();
  while (products.size < Math.ceil(labels / intents.length)) {
    products.add(Array.from({ length: 3 }, () => pick(SYLLABLES)).join('').replace(/^./, (c) => c.toUpperCase()));
  }
  const productList = [...products];
  const lines: string[] = [];
  for (let l = 0; l < labels; l++) {
    const intent = intents[l % intents.length];
    const product = productList[Math.floor(l / intents.length)];
    for (let q = 0; q < perLabel; q++) {
      const text = pick(byIntent.get(intent)!).replace(/[?.!]*$/, '');
      lines.push(JSON.stringify({ text: `${text} ${pick(['for', 'with', 'on', 'about'])} the ${product} plan?`, label: `${intent} ${product}` }));
    }
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
