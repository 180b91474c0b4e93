// Groups customer wordings that got no confident answer by the search engine's own analysis: folded,
// stemmed terms (server/kb/search/analysis.ts) without function words, in any order. "How do I change
// my email?" and "change email" land in one group; the report lists the group once with its count.
import { createAnalyzer, type Analyzer } from '../kb/search/analysis.js';

/** function words, as the analyzer folds them: they carry no topic */
const FUNCTION_WORDS: Record<string, string[]> = {
  en: 'a an the i me my we our you your it its is are was be been do does did can could would should will how what when where why which who to of in on at for from with by and or not no this that there here have has had am please hi hello'.split(' '),
  de: 'ich mich mir mein meine meinen meiner meinem wir uns unser du dich dein sie ihr es ist sind war sein wie was wann wo warum welche welcher wer der die das den dem des ein eine einen einem einer und oder nicht kein keine zu von in im an am auf fuer mit bei kann koennen muss hat habe haben bitte hallo ja'.split(' '),
};

export interface WordingRow {
  locale: string;
  wording: string;
  channel: string;
  count: number;
  agentArticle: string | null;
  offeredArticle: string | null;
}

export interface GapGroup {
  locale: string;
  /** the group's most frequent wording */
  wording: string;
  count: number;
  channels: string[];
  /** up to three wordings, most frequent first */
  examples: string[];
  /** the article an agent ended up sending for these questions (most frequent), if any */
  agentArticle: string | null;
  /** the article the bot offered most (not confidently) */
  offeredArticle: string | null;
  /** the analysed terms the group shares */
  key: string;
}

const analyzers = new Map<string, Analyzer>();
function analyzerFor(locale: string): Analyzer {
  let analyzer = analyzers.get(locale);
  if (!analyzer) {
    analyzer = createAnalyzer(locale);
    analyzers.set(locale, analyzer);
  }
  return analyzer;
}

/** The analysed content terms of a wording, sorted and unique: the group key. */
export function wordingKey(locale: string, wording: string): string {
  const analyzer = analyzerFor(locale);
  const stop = new Set((FUNCTION_WORDS[locale.slice(0, 2)] ?? []).map((w) => analyzer.stem(analyzer.fold(w))));
  const terms = [...new Set(analyzer.analyze(wording).terms)];
  const content = terms.filter((t) => !stop.has(t));
  return (content.length ? content : terms).sort().join(' ');
}

function mostFrequent(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount || (count === bestCount && best !== null && value < best)) [best, bestCount] = [value, count];
  return best;
}

/** Merges per-(wording, channel) counts into groups of similar wording, largest first. */
export function groupWordings(rows: WordingRow[]): GapGroup[] {
  const groups = new Map<string, { locale: string; key: string; count: number; channels: Set<string>; wordings: Map<string, number>; agent: Map<string, number>; offered: Map<string, number> }>();
  for (const row of rows) {
    const key = wordingKey(row.locale, row.wording);
    const id = `${row.locale}\u0000${key}`;
    let g = groups.get(id);
    if (!g) {
      g = { locale: row.locale, key, count: 0, channels: new Set(), wordings: new Map(), agent: new Map(), offered: new Map() };
      groups.set(id, g);
    }
    g.count += row.count;
    g.channels.add(row.channel);
    g.wordings.set(row.wording, (g.wordings.get(row.wording) ?? 0) + row.count);
    if (row.agentArticle) g.agent.set(row.agentArticle, (g.agent.get(row.agentArticle) ?? 0) + row.count);
    if (row.offeredArticle) g.offered.set(row.offeredArticle, (g.offered.get(row.offeredArticle) ?? 0) + row.count);
  }
  return [...groups.values()]
    .map((g) => {
      const examples = [...g.wordings.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([w]) => w);
      return {
        locale: g.locale,
        wording: examples[0],
        count: g.count,
        channels: [...g.channels].sort(),
        examples: examples.slice(0, 3),
        agentArticle: mostFrequent(g.agent),
        offeredArticle: mostFrequent(g.offered),
        key: g.key,
      };
    })
    .sort((a, b) => b.count - a.count || a.wording.localeCompare(b.wording));
}
