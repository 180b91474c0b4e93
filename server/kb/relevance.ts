// Which hits a search page or API client is shown. The engine ranks every article for any query;
// a list of results should only hold articles that contain the searched words or that the engine
// is confident about (its calibrated answer threshold). The bot decides on its own (bot/policy.ts).
import type { KbHit } from '../../bot/ports.js';
import type { Article, KbSearchResult } from './types.js';
import { distinctFoldedWords, queryMatcher } from './snippet.js';

export function relevantHits(query: string, result: KbSearchResult, articleOf: (hit: KbHit) => Article | undefined): KbHit[] {
  const confidentAt = result.calibration?.answerAt ?? 1;
  let mentions: ((folded: string) => boolean) | null | undefined = null;
  return result.hits.filter((hit) => {
    if (hit.confidence >= confidentAt) return true;
    const article = articleOf(hit);
    if (article === undefined) return false;
    if (mentions === null) mentions = queryMatcher(query);
    // an article's words are found and folded once (per article until the next reload), not per request
    return mentions !== undefined && distinctFoldedWords(article, () => [article.title, ...article.questions, ...article.tags, article.summary, article.text]).some(mentions);
  });
}
