// Dev harness: the whole engine (product loader, inline training, calibration, bot/policy.ts decision)
// on KB folders with a questions file, with settings from the command line, on all questions and on
// the two halves (odd / even lines), so a change tuned on one half can be checked on the other.
//   npx tsx bench/dev-faq.ts DIR... [lexicalWeight=0.5 ...]     (DIR holds kb/ and questions.jsonl)
import path from 'node:path';
import { decide } from '../bot/policy.js';
import { loadKnowledgeBase } from '../server/kb/loader.js';
import { trainLocale, type TrainingInput } from '../server/kb/search/training.js';
import { buildRankerFor } from '../server/kb/search/engine.js';
import type { Calibration } from '../server/kb/search/calibration.js';
import { devArguments, readQuestions } from './dev-articles.js';

const { dirs, settings } = devArguments(process.argv.slice(2));
const pct = (n: number, d: number) => (d ? ((100 * n) / d).toFixed(1) : '-').padStart(5);
for (const dir of dirs) {
  const loaded = await loadKnowledgeBase(path.join(dir, 'kb'));
  const questions = readQuestions(path.join(dir, 'questions.jsonl'));
  const t0 = performance.now();
  const byLocale = new Map<string, { search: ReturnType<typeof buildRankerFor>; calibration: Calibration }>();
  for (const locale of new Set(loaded.articles.map((a) => a.locale))) {
    const articles = loaded.articles.filter((a) => a.locale === locale);
    const input: TrainingInput = { locale, articles: articles.map((a) => ({ ...a, body: '', html: '' })), synonyms: loaded.synonyms.get(locale) ?? [], settings };
    const trained = trainLocale(input);
    byLocale.set(locale, { search: buildRankerFor(input, trained.model), calibration: trained.calibration });
  }
  const ms = performance.now() - t0;
  const first = loaded.articles[0].locale;
  const search = (text: string, limit: number, locale?: string) => byLocale.get(locale ?? first)!.search(text, limit);
  const trained = { calibration: byLocale.get(first)!.calibration };
  const rows: Record<string, number[]> = { all: [0, 0, 0, 0, 0, 0, 0, 0, 0], odd: [0, 0, 0, 0, 0, 0, 0, 0, 0], even: [0, 0, 0, 0, 0, 0, 0, 0, 0] };
  questions.forEach((q, i) => {
    const locale = q.locale ?? first;
    const hits = search(q.text, 5, locale).map((h) => ({ ...h, locale, title: '', summary: '', url: '', snippet: '' }));
    const d = decide({ hits, calibration: byLocale.get(locale)!.calibration });
    for (const key of ['all', i % 2 ? 'odd' : 'even']) {
      const r = rows[key]; // inScope, top1, top3, answeredCorrect, oos, declined, wrong, alternatives-correct, suggest-has
      const answered = d.kind === 'answer' ? d.article.id : undefined;
      if (q.expected === null) {
        r[4]++;
        if (answered) r[6]++;
        else r[5]++;
        continue;
      }
      r[0]++;
      if (hits[0]?.id === q.expected) r[1]++;
      if (hits.slice(0, 3).some((h) => h.id === q.expected)) r[2]++;
      if (answered === q.expected) r[3]++;
      else if (answered) r[6]++;
    }
  });
  if (process.env.SIGNALS) {
    // answered correctly at the best threshold that keeps wrong answers (of all questions) at or under 5 %, per signal
    const pts = questions.map((q) => {
      const h = search(q.text, 3, q.locale);
      const p1 = h[0]?.confidence ?? 0, p2 = h[1]?.confidence ?? 0;
      return { right: h[0]?.id === q.expected, oos: q.expected === null, s: { p1, margin: p1 - p2, ratio: p1 / (p1 + p2 || 1), geo: Math.sqrt(p1 * (p1 - p2)), lin: p1 + (p1 - p2) } as Record<string, number> };
    });
    const inScope = pts.filter((p) => !p.oos).length;
    const out: string[] = [];
    for (const key of Object.keys(pts[0].s)) {
      const sorted = [...pts].sort((a, b) => b.s[key] - a.s[key]);
      let right = 0, wrong = 0, best = 0;
      for (const p of sorted) {
        if (p.right) right++;
        else wrong++;
        if (wrong / pts.length <= 0.05) best = Math.max(best, right);
      }
      out.push(`${key} ${pct(best, inScope)}`);
    }
    console.log(`  at 5 % wrong: ${out.join('  ')}`);
  }
  if (process.env.CURVE) {
    // answered correctly / wrong (of all) if the answer threshold were t, for a few t
    const points = questions.map((q) => {
      const hits = search(q.text, 2, q.locale);
      return { conf: hits[0]?.confidence ?? 0, margin: (hits[0]?.confidence ?? 0) - (hits[1]?.confidence ?? 0), right: hits[0]?.id === q.expected, oos: q.expected === null };
    });
    for (const key of ['conf', 'margin'] as const) {
      const line = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5].map((t) => {
        const sel = points.filter((p) => p[key] >= t);
        const inScope = points.filter((p) => !p.oos).length;
        return `${t}:${pct(sel.filter((p) => p.right).length, inScope)}/${pct(sel.filter((p) => !p.right).length, points.length)}`;
      });
      console.log(`  ${key} ${line.join(' ')}`);
    }
  }
  const c = trained.calibration;
  console.log(`${path.basename(dir)} train+calibrate ${(ms / 1000).toFixed(1)} s, answer at ${c.answerAt.toFixed(3)} alternatives at ${c.alternativesAt?.toFixed(3)} suggest at ${c.suggestAt.toFixed(3)} ${JSON.stringify(c.basis)}`);
  for (const [key, r] of Object.entries(rows)) {
    console.log(`  ${key.padEnd(5)} top1 ${pct(r[1], r[0])} top3 ${pct(r[2], r[0])} answered ${pct(r[3], r[0])} declined ${pct(r[5], r[4])} wrong ${pct(r[6], r[0] + r[4])}`);
  }
}
