// Dev harness only: reads a make-kb.mjs knowledge base into Article objects without the product loader,
// so the engine can be measured before (and independently of) server/kb/loader.ts.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Article } from '../server/kb/types.js';
import { DEFAULT_SETTINGS, type ModelSettings } from '../server/kb/search/model.js';

export interface BenchQuestion {
  text: string;
  expected: string | null;
  locale?: string;
}

export function readBenchKb(kbDir: string): Map<string, Article[]> {
  const byLocale = new Map<string, Article[]>();
  for (const locale of fs.readdirSync(kbDir)) {
    const files = fs.readdirSync(path.join(kbDir, locale), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    const articles = files.sort().map((file): Article => {
      const raw = fs.readFileSync(path.join(kbDir, locale, file), 'utf8');
      const [, front, body] = raw.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/)!;
      const meta = parse(front) as { id: string; title: string; questions?: string[]; tags?: string[]; summary?: string };
      return {
        id: meta.id,
        locale,
        title: meta.title,
        questions: meta.questions ?? [],
        category: path.dirname(file),
        tags: meta.tags ?? [],
        summary: meta.summary ?? body.trim(),
        body,
        html: '',
        text: body.trim(),
        path: `${locale}/${file}`,
        updated: new Date(0).toISOString(),
        links: [],
      };
    });
    byLocale.set(locale, articles);
  }
  return byLocale;
}

export function readQuestions(file: string): BenchQuestion[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as BenchQuestion);
}

/**
 * The dev harnesses' command line: KB folders, and `setting=value` pairs over the engine's defaults (a
 * feature option when the name is one, else a model setting; true/false and numbers are read as such).
 */
export function devArguments(args: string[]): { dirs: string[]; settings: ModelSettings } {
  const settings: ModelSettings = { ...DEFAULT_SETTINGS, features: { ...DEFAULT_SETTINGS.features } };
  for (const o of args.filter((a) => a.includes('='))) {
    const [k, v] = o.split('=');
    const target = (k in settings.features ? settings.features : settings) as unknown as Record<string, unknown>;
    target[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  }
  return { dirs: args.filter((a) => !a.includes('=')), settings };
}
