// The knowledge base's domain types, shared by the loader, the search engine, the help center and the API.
import type { KbSearchResult, KnowledgeBase } from '../../bot/ports.js';
import type { CalibrationBasis } from './search/calibration.js';

export interface Article {
  id: string;
  locale: string;
  title: string;
  /** other ways customers ask this */
  questions: string[];
  category: string;
  tags: string[];
  /** the short answer (SMS, voice, cards); falls back to the first paragraph of the body */
  summary: string;
  /** markdown body as written */
  body: string;
  /** sanitized HTML of the body, article links resolved */
  html: string;
  /** plain text of the body (for search and snippets) */
  text: string;
  /** path relative to KB_DIR, with forward slashes */
  path: string;
  /** ISO timestamp of the file's last change */
  updated: string;
  /** ids of articles this one links to */
  links: string[];
}

export interface KbProblem {
  /** path relative to KB_DIR */
  file: string;
  line: number;
  message: string;
}

/** Synonym groups an editor keeps in kb-content/<locale>/synonyms.yml. */
export type SynonymGroups = string[][];

/** What the KB service offers the rest of the server (the bot sees only the KnowledgeBase port). */
export interface KnowledgeBaseService extends KnowledgeBase {
  /** `snippets: false` leaves hit.snippet empty: the bot never shows one, so it skips their cost */
  search(query: string, locale: string, options?: { limit?: number; snippets?: boolean }): Promise<KbSearchResult>;
  isReady(): boolean;
  article(id: string, locale: string): Article | undefined;
  articles(locale: string): Article[];
  /** what the search index of a locale calibrated its thresholds on, and which rule it used (logs, kb:eval) */
  calibrationBasis?(locale: string): CalibrationBasis | undefined;
  /** problems found by the last load; the index keeps serving the last good content while there are any */
  problems(): KbProblem[];
  /** reloads from disk now (the watcher calls this); resolves when the new index serves or was rejected */
  reload(): Promise<{ ok: boolean; problems: KbProblem[] }>;
  close(): Promise<void>;
}

export type { KbSearchResult };
