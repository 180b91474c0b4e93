// Trained models on disk, keyed by a hash of everything training depends on (engine version,
// locale, settings, synonyms and the articles' searchable text), so a restart does not retrain.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TrainingInput, TrainedLocale } from './training.js';

/** Bump when analysis, features, training or the cache format change: old cache files are then ignored. */
export const ENGINE_VERSION = 'answer-engine-14';

export function modelKey(input: TrainingInput): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([ENGINE_VERSION, input.locale, input.settings, input.synonyms]));
  // the category too: the category model (categories.ts) learns which articles share one
  for (const a of input.articles) hash.update(JSON.stringify([a.id, a.title, a.questions, a.tags, a.summary, a.text, a.category]));
  return hash.digest('hex').slice(0, 32);
}

const TYPED = { Float32Array, Float64Array, Int32Array } as const;
type TypedName = keyof typeof TYPED;

function encode(_key: string, value: unknown): unknown {
  for (const name of Object.keys(TYPED) as TypedName[]) {
    if (value instanceof TYPED[name]) return { $typed: name, base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  return value;
}

function decode(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$typed' in value) {
    const { $typed, base64 } = value as { $typed: TypedName; base64: string };
    const bytes = Buffer.from(base64, 'base64');
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    return new TYPED[$typed](copy.buffer);
  }
  return value;
}

const prefixOf = (locale: string) => `search-${locale.replace(/[^A-Za-z0-9_-]/g, '_')}-`;

function fileFor(cacheDir: string, locale: string, key: string): string {
  return path.join(cacheDir, `${prefixOf(locale)}${key}.json`);
}

export async function readCachedModel(cacheDir: string, locale: string, key: string): Promise<TrainedLocale | undefined> {
  try {
    return JSON.parse(await fs.readFile(fileFor(cacheDir, locale, key), 'utf8'), decode) as TrainedLocale;
  } catch {
    return undefined; // missing or unreadable: train again
  }
}

/** Writes atomically (temp file + rename) and removes this locale's older models. */
export async function writeCachedModel(cacheDir: string, locale: string, key: string, trained: TrainedLocale): Promise<void> {
  await fs.mkdir(cacheDir, { recursive: true });
  const file = fileFor(cacheDir, locale, key);
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, JSON.stringify(trained, encode));
  await fs.rename(temp, file);
  const prefix = prefixOf(locale);
  for (const name of await fs.readdir(cacheDir)) {
    const rest = name.startsWith(prefix) ? name.slice(prefix.length) : '';
    if (/^[0-9a-f]{32}\.json$/.test(rest) && name !== path.basename(file)) await fs.rm(path.join(cacheDir, name), { force: true });
  }
}
