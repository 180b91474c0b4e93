// The greeting's starter topics: the articles customers asked about most in the last 30 days, topped up
// with the locale's first articles when there is little or no history (a new install still shows some).
import type { ArticleRef, StarterTopics } from '../../bot/ports.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StarterTopicsDeps {
  mostAsked(locale: string, since: string, limit: number): Promise<string[]>;
  /** the locale's articles in the knowledge base's order, as the bot offers them */
  articles(locale: string): ArticleRef[];
  now: () => Date;
  count?: number;
  days?: number;
}

export function starterTopics({ mostAsked, articles, now, count = 3, days = 30 }: StarterTopicsDeps): StarterTopics {
  return {
    async forLocale(locale) {
      const all = articles(locale);
      const byId = new Map(all.map((article) => [article.id, article]));
      const since = new Date(now().getTime() - days * DAY_MS).toISOString();
      // ask for more than needed: some ids may belong to articles removed since
      const asked = (await mostAsked(locale, since, count * 3)).map((id) => byId.get(id)).filter((a) => a !== undefined);
      const picked = [...new Set([...asked, ...all])].slice(0, count);
      return picked;
    },
  };
}
