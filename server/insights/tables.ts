// Every table of the insights page, defined once: the page renders these rows and the CSV export writes
// the same rows, so what an editor downloads is what they saw.
import type { Report } from './report.js';

export interface Column {
  key: string;
  label: string;
  /** shown in the header's tooltip: how the figure is computed */
  definition?: string;
  kind?: 'number' | 'percent' | 'seconds' | 'text';
}

export interface Table {
  name: string;
  title: string;
  columns: Column[];
  rows: Array<Record<string, string | number | null>>;
}

export const DEFINITIONS = {
  conversations: 'Conversations started in the period (by their start time), on this channel.',
  selfServiceRate: 'Self-service rate: conversations that ended without a person (never queued for an agent) and without a "not helpful" answer, divided by all conversations.',
  handOverRate: 'Hand-over rate: conversations queued for a person (by the bot or on request), divided by all conversations. Self-served + handed over + not-helpful-but-not-handed-over = 100 %.',
  wait: 'Wait until claim: time from joining the queue to an agent claiming the conversation. Median and 90th percentile by nearest rank, over claimed conversations.',
  resolve: 'Time to resolve: from the start of the conversation to its resolution, median by nearest rank over resolved conversations.',
  csat: 'CSAT: ratings of 4 or 5 (on 1–5) divided by all ratings given.',
  decisionShare: 'Share of all bot question turns in the period; the shares add up to 100 %.',
  pickShare: 'Share of picked suggestions: which position in the offered list customers chose.',
  outcomeShare: 'What the customer did right after a bot turn: picked a suggestion, said helpful / not helpful, asked for a person, asked again, or nothing more (left). Adds up to 100 %.',
  gap: 'Questions the bot answered without confidence (suggestions, no match, hand-over), grouped by the search engine’s analysis of their wording (stemmed words without function words).',
  noClick: 'Help-center searches that showed results, none of which was opened.',
  followedByHandover: 'Bot answers with this article after which the customer said it did not help or asked for a person.',
} as const;

export function tablesOf(report: Report): Table[] {
  return [
    {
      name: 'channels',
      title: 'Per channel',
      columns: [
        { key: 'channel', label: 'Channel', kind: 'text' },
        { key: 'conversations', label: 'Conversations', kind: 'number', definition: DEFINITIONS.conversations },
        { key: 'selfServed', label: 'Self-served', kind: 'number', definition: DEFINITIONS.selfServiceRate },
        { key: 'selfServiceRate', label: 'Self-service rate', kind: 'percent', definition: DEFINITIONS.selfServiceRate },
        { key: 'handedOver', label: 'Handed over', kind: 'number', definition: DEFINITIONS.handOverRate },
        { key: 'handOverRate', label: 'Hand-over rate', kind: 'percent', definition: DEFINITIONS.handOverRate },
        { key: 'waitMedianSeconds', label: 'Wait (median)', kind: 'seconds', definition: DEFINITIONS.wait },
        { key: 'waitP90Seconds', label: 'Wait (90th pct.)', kind: 'seconds', definition: DEFINITIONS.wait },
        { key: 'resolveMedianSeconds', label: 'Time to resolve (median)', kind: 'seconds', definition: DEFINITIONS.resolve },
        { key: 'rated', label: 'Ratings', kind: 'number', definition: DEFINITIONS.csat },
        { key: 'csat', label: 'CSAT', kind: 'percent', definition: DEFINITIONS.csat },
      ],
      rows: report.channels.map((c) => ({ ...c })),
    },
    {
      name: 'daily',
      title: 'Conversations per day',
      columns: [
        { key: 'day', label: 'Day', kind: 'text' },
        { key: 'channel', label: 'Channel', kind: 'text' },
        { key: 'conversations', label: 'Conversations', kind: 'number', definition: DEFINITIONS.conversations },
        { key: 'selfServed', label: 'Self-served', kind: 'number', definition: DEFINITIONS.selfServiceRate },
      ],
      rows: report.daily.map((d) => ({ ...d })),
    },
    {
      name: 'handovers',
      title: 'Hand-overs by reason',
      columns: [
        { key: 'channel', label: 'Channel', kind: 'text' },
        { key: 'reason', label: 'Reason', kind: 'text' },
        { key: 'count', label: 'Hand-overs', kind: 'number' },
        { key: 'share', label: 'Share of the channel’s hand-overs', kind: 'percent', definition: 'Share of this channel’s hand-overs; each channel adds up to 100 %.' },
      ],
      rows: report.handovers.map((h) => ({ ...h })),
    },
    {
      name: 'decisions',
      title: 'Bot decisions',
      columns: [
        { key: 'decision', label: 'Decision', kind: 'text' },
        { key: 'count', label: 'Turns', kind: 'number' },
        { key: 'share', label: 'Share', kind: 'percent', definition: DEFINITIONS.decisionShare },
      ],
      rows: report.decisions.map((d) => ({ ...d })),
    },
    {
      name: 'picks',
      title: 'Suggestion picked',
      columns: [
        { key: 'option', label: 'Option', kind: 'number' },
        { key: 'count', label: 'Picks', kind: 'number' },
        { key: 'share', label: 'Share', kind: 'percent', definition: DEFINITIONS.pickShare },
      ],
      rows: report.picks.map((p) => ({ ...p })),
    },
    {
      name: 'outcomes',
      title: 'What customers did next',
      columns: [
        { key: 'outcome', label: 'Next step', kind: 'text' },
        { key: 'count', label: 'Turns', kind: 'number' },
        { key: 'share', label: 'Share', kind: 'percent', definition: DEFINITIONS.outcomeShare },
      ],
      rows: report.outcomes.map((o) => ({ ...o })),
    },
    {
      name: 'gaps',
      title: 'Content gaps',
      columns: [
        { key: 'locale', label: 'Locale', kind: 'text' },
        { key: 'wording', label: 'Question', kind: 'text', definition: DEFINITIONS.gap },
        { key: 'count', label: 'Times asked', kind: 'number' },
        { key: 'channels', label: 'Channels', kind: 'text' },
        { key: 'examples', label: 'Example wordings', kind: 'text' },
        { key: 'agentArticle', label: 'Article an agent sent', kind: 'text' },
        { key: 'offeredArticle', label: 'Article the bot offered', kind: 'text' },
      ],
      rows: report.gaps.map((g) => ({ locale: g.locale, wording: g.wording, count: g.count, channels: g.channels.join(' '), examples: g.examples.join(' | '), agentArticle: g.agentArticle, offeredArticle: g.offeredArticle })),
    },
    {
      name: 'searches-no-result',
      title: 'Help-center searches without a result',
      columns: [
        { key: 'locale', label: 'Locale', kind: 'text' },
        { key: 'query', label: 'Search', kind: 'text' },
        { key: 'count', label: 'Times', kind: 'number' },
      ],
      rows: report.searchesNoResult.map((s) => ({ ...s })),
    },
    {
      name: 'searches-no-click',
      title: 'Help-center searches without a click',
      columns: [
        { key: 'locale', label: 'Locale', kind: 'text' },
        { key: 'query', label: 'Search', kind: 'text', definition: DEFINITIONS.noClick },
        { key: 'count', label: 'Times', kind: 'number' },
      ],
      rows: report.searchesNoClick.map((s) => ({ ...s })),
    },
    {
      name: 'articles',
      title: 'Articles',
      columns: [
        { key: 'locale', label: 'Locale', kind: 'text' },
        { key: 'articleId', label: 'Article', kind: 'text' },
        { key: 'helpCenterViews', label: 'Help-center views', kind: 'number' },
        { key: 'botAnswers', label: 'Bot answers', kind: 'number' },
        { key: 'smsViews', label: 'SMS link views', kind: 'number' },
        { key: 'helpful', label: 'Helpful', kind: 'number' },
        { key: 'notHelpful', label: 'Not helpful', kind: 'number' },
        { key: 'followedByHandover', label: 'Followed by a hand-over', kind: 'number', definition: DEFINITIONS.followedByHandover },
      ],
      rows: report.articles.map((a) => ({ ...a })),
    },
    {
      name: 'comments',
      title: 'Feedback comments',
      columns: [
        { key: 'createdAt', label: 'When', kind: 'text' },
        { key: 'locale', label: 'Locale', kind: 'text' },
        { key: 'articleId', label: 'Article', kind: 'text' },
        { key: 'helpful', label: 'Helpful', kind: 'text' },
        { key: 'comment', label: 'Comment', kind: 'text' },
      ],
      rows: report.comments.map((c) => ({ ...c, helpful: c.helpful ? 'yes' : 'no' })),
    },
    {
      name: 'learned',
      title: 'Learned evidence',
      columns: [
        { key: 'locale', label: 'Locale', kind: 'text' },
        { key: 'articleId', label: 'Article', kind: 'text' },
        { key: 'question', label: 'Question', kind: 'text' },
        { key: 'source', label: 'Source', kind: 'text' },
        { key: 'createdAt', label: 'Learnt', kind: 'text' },
      ],
      rows: report.learned.map((l) => ({ ...l })),
    },
  ];
}

/** RFC 4180 CSV; text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function toCsv(table: Table): string {
  const cell = (value: string | number | null | undefined): string => {
    if (value === null || value === undefined) return '';
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns.map((c) => cell(c.label)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => cell(row[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** a duration for people: "45 s", "4 min 5 s", "2 h 10 min" */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

export function formatCell(column: Column, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  if (column.kind === 'percent') return `${Number(value).toFixed(1)} %`;
  if (column.kind === 'seconds') return formatSeconds(Number(value));
  return String(value);
}
