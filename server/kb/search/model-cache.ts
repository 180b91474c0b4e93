// Trained models on disk, keyed by a hash of everything training depends on (engine version,
// locale, settings, synonyms and the articles' searchable text), so a restart does not retrain.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import type { TrainingInput, TrainedLocale } from './training.js';

/** Bump when analysis, features, training or the cache format change: old cache files are then ignored. */
export const ENGINE_VERSION = 'answer-engine-15';

export function modelKey(input: TrainingInput): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([ENGINE_VERSION, input.locale, input.settings, input.synonyms]));
  // the category too: the category model (categories.ts) learns which articles share one
  for (const a of input.articles) hash.update(JSON.stringify([a.id, a.title, a.questions, a.tags, a.summary, a.text, a.category]));
  return hash.digest('hex').slice(0, 32);
}

const TYPED = { Float32Array, Float64Array, Int32Array } as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

/**
 * The cache file: a fixed head (format tag, header length, CRC-32 of the rest), a JSON header with the
 * model's plain fields, then the typed arrays' bytes, each at a multiple of 8. Reading is one file read
 * and one small JSON parse; the arrays are views on the file's bytes (no base64, no copies). A file that
 * is cut short or altered fails its checksum and is ignored (the model is trained again).
 */
const FORMAT = Buffer.from('SDMODEL1', 'latin1');
const HEAD = 16;
const ALIGN = 8;

interface TypedRef {
  $typed: TypedName;
  offset: number;
  length: number;
}

const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

function typedName(value: unknown): TypedName | undefined {
  for (const name of Object.keys(TYPED) as TypedName[]) if (value instanceof TYPED[name]) return name;
  return undefined;
}

/** The trained model as one buffer in the cache file format. */
export function encodeModel(trained: TrainedLocale): Buffer {
  const arrays: Typed[] = [];
  let size = 0;
  const header = Buffer.from(
    JSON.stringify(trained, (_key, value: unknown) => {
      const name = typedName(value);
      if (!name) return value;
      const array = value as Typed;
      const ref: TypedRef = { $typed: name, offset: size, length: array.length };
      arrays.push(array);
      size = align(size + array.byteLength);
      return ref;
    }),
  );
  const dataStart = align(HEAD + header.length);
  const file = Buffer.alloc(dataStart + size);
  FORMAT.copy(file, 0);
  file.writeUInt32LE(header.length, 8);
  header.copy(file, HEAD);
  let at = dataStart;
  for (const array of arrays) {
    file.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at = dataStart + align(at - dataStart + array.byteLength);
  }
  file.writeUInt32LE(zlib.crc32(file.subarray(HEAD)), 12);
  return file;
}

/** The trained model in a cache file's bytes; throws on anything but an intact file of this format. */
export function decodeModel(file: Buffer): TrainedLocale {
  if (file.length < HEAD || !file.subarray(0, 8).equals(FORMAT)) throw new Error('not a model file of this format');
  if (zlib.crc32(file.subarray(HEAD)) !== file.readUInt32LE(12)) throw new Error('model file is damaged (checksum)');
  const headerLength = file.readUInt32LE(8);
  // typed arrays need their element size's alignment: views on the file when it is 8-aligned, else a copy
  const bytes = file.byteOffset % ALIGN === 0 ? file : Buffer.from(new Uint8Array(file).buffer);
  const dataStart = bytes.byteOffset + align(HEAD + headerLength);
  return JSON.parse(bytes.toString('utf8', HEAD, HEAD + headerLength), (_key, value: unknown) => {
    if (!value || typeof value !== 'object' || !('$typed' in value)) return value;
    const { $typed, offset, length } = value as TypedRef;
    const Type = TYPED[$typed];
    if (!Type || dataStart + offset + length * Type.BYTES_PER_ELEMENT > bytes.byteOffset + bytes.length) throw new Error('model file is damaged (array bounds)');
    return new Type(bytes.buffer as ArrayBuffer, dataStart + offset, length);
  }) as TrainedLocale;
}

const prefixOf = (locale: string) => `search-${locale.replace(/[^A-Za-z0-9_-]/g, '_')}-`;

function fileFor(cacheDir: string, locale: string, key: string): string {
  return path.join(cacheDir, `${prefixOf(locale)}${key}.model`);
}

/** Whether the folder holds any trained model (a first start on an empty cache will train). */
export async function hasCachedModels(cacheDir: string): Promise<boolean> {
  const names = await fs.readdir(cacheDir).catch(() => [] as string[]);
  return names.some((name) => name.startsWith('search-') && name.endsWith('.model'));
}

export async function readCachedModel(cacheDir: string, locale: string, key: string): Promise<TrainedLocale | undefined> {
  try {
    return decodeModel(await fs.readFile(fileFor(cacheDir, locale, key)));
  } catch {
    return undefined; // missing, unreadable or damaged: train again
  }
}

/** Writes atomically (temp file + rename) and removes this locale's older models (and those of the former JSON format). */
export async function writeCachedModel(cacheDir: string, locale: string, key: string, trained: TrainedLocale): Promise<void> {
  await fs.mkdir(cacheDir, { recursive: true });
  const file = fileFor(cacheDir, locale, key);
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, encodeModel(trained));
  await fs.rename(temp, file);
  const prefix = prefixOf(locale);
  for (const name of await fs.readdir(cacheDir)) {
    const rest = name.startsWith(prefix) ? name.slice(prefix.length) : '';
    if (/^[0-9a-f]{32}\.(model|json)$/.test(rest) && name !== path.basename(file)) await fs.rm(path.join(cacheDir, name), { force: true });
  }
}
