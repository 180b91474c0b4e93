// SVG charts rendered on the server with d3-scale and d3-shape: the page needs no chart script and no
// CDN. Every label is escaped here (the SVG goes into the page unescaped); colours come from CSS classes
// (series-0 … series-5), so the strict CSP needs no inline styles.
import { scaleBand, scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const f1 = (n: number) => (Math.round(n * 10) / 10).toString();

export interface Series {
  name: string;
  points: Array<{ day: string; value: number | null }>;
}

/** One line per series over days (ISO yyyy-mm-dd), with a y axis and a legend. */
export function lineChart(options: { title: string; description: string; days: string[]; series: Series[]; unit?: string; max?: number }): string {
  const width = 640;
  const height = 240;
  const m = { top: 16, right: 16, bottom: 28, left: 44 };
  const days = options.days;
  const x = scaleUtc()
    .domain([new Date(`${days[0]}T00:00:00Z`), new Date(`${days[days.length - 1] ?? days[0]}T00:00:00Z`)])
    .range([m.left, width - m.right]);
  const values = options.series.flatMap((s) => s.points.map((p) => p.value ?? 0));
  const y = scaleLinear()
    .domain([0, options.max ?? Math.max(1, ...values)])
    .nice()
    .range([height - m.bottom, m.top]);
  const path = line<{ day: string; value: number | null }>()
    .defined((p) => p.value !== null)
    .x((p) => x(new Date(`${p.day}T00:00:00Z`)))
    .y((p) => y(p.value ?? 0));
  const ticks = y.ticks(4).map((t) => `<g class="tick"><line x1="${m.left}" x2="${width - m.right}" y1="${f1(y(t))}" y2="${f1(y(t))}"/><text x="${m.left - 6}" y="${f1(y(t) + 4)}" text-anchor="end">${escapeXml(String(t))}${options.unit ?? ''}</text></g>`);
  const xTicks = x.ticks(Math.min(6, days.length)).map((d) => `<text class="x-tick" x="${f1(x(d))}" y="${height - 8}" text-anchor="middle">${d.toISOString().slice(5, 10)}</text>`);
  const lines = options.series.map((s, i) => {
    const d = s.points.length === 1 ? null : path(s.points);
    const dots = s.points.length <= 31
      ? s.points.filter((p) => p.value !== null).map((p) => `<circle class="dot series-${i % 6}" cx="${f1(x(new Date(`${p.day}T00:00:00Z`)))}" cy="${f1(y(p.value ?? 0))}" r="3"><title>${escapeXml(`${s.name} ${p.day}: ${p.value}${options.unit ?? ''}`)}</title></circle>`).join('')
      : '';
    return `<g class="series"><path class="line series-${i % 6}" d="${d ?? ''}"><title>${escapeXml(s.name)}</title></path>${dots}</g>`;
  });
  const legend = options.series.map((s, i) => `<g transform="translate(${m.left + i * 110},${4})"><rect class="swatch series-${i % 6}" width="10" height="10"/><text x="14" y="9">${escapeXml(s.name)}</text></g>`);
  return `<svg class="chart" viewBox="0 0 ${width} ${height + 14}" role="img" aria-labelledby="t-${slug(options.title)} d-${slug(options.title)}"><title id="t-${slug(options.title)}">${escapeXml(options.title)}</title><desc id="d-${slug(options.title)}">${escapeXml(options.description)}</desc><g transform="translate(0,14)">${ticks.join('')}${xTicks.join('')}${lines.join('')}</g>${legend.join('')}</svg>`;
}

/** Horizontal bars, one per item, labelled with count and share. */
export function barChart(options: { title: string; description: string; items: Array<{ label: string; value: number; note?: string }> }): string {
  const width = 640;
  const rowHeight = 26;
  const m = { top: 4, right: 110, bottom: 4, left: 215 };
  const height = m.top + m.bottom + Math.max(1, options.items.length) * rowHeight;
  const x = scaleLinear().domain([0, Math.max(1, ...options.items.map((i) => i.value))]).range([0, width - m.left - m.right]);
  const y = scaleBand().domain(options.items.map((_, i) => String(i))).range([m.top, height - m.bottom]).padding(0.2);
  const bars = options.items.map((item, i) => {
    const top = y(String(i)) ?? 0;
    return `<g class="bar"><text x="${m.left - 8}" y="${f1(top + y.bandwidth() / 2 + 4)}" text-anchor="end">${escapeXml(item.label)}</text><rect class="series-${i % 6}" x="${m.left}" y="${f1(top)}" width="${f1(Math.max(x(item.value), item.value > 0 ? 1 : 0))}" height="${f1(y.bandwidth())}"><title>${escapeXml(`${item.label}: ${item.value}${item.note ? ` (${item.note})` : ''}`)}</title></rect><text x="${f1(m.left + x(item.value) + 6)}" y="${f1(top + y.bandwidth() / 2 + 4)}">${escapeXml(`${item.value}${item.note ? ` · ${item.note}` : ''}`)}</text></g>`;
  });
  return `<svg class="chart bars" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="t-${slug(options.title)} d-${slug(options.title)}"><title id="t-${slug(options.title)}">${escapeXml(options.title)}</title><desc id="d-${slug(options.title)}">${escapeXml(options.description)}</desc>${bars.join('')}</svg>`;
}

/** One bar of 100 %: the parts of one whole side by side. */
export function shareBar(options: { title: string; parts: Array<{ label: string; share: number }> }): string {
  const width = 640;
  const height = 28;
  const x = scaleLinear().domain([0, 100]).range([0, width]);
  let at = 0;
  const rects = options.parts.map((p, i) => {
    const rect = `<rect class="series-${i % 6}" x="${f1(x(at))}" y="0" width="${f1(x(p.share))}" height="${height}"><title>${escapeXml(`${p.label}: ${p.share} %`)}</title></rect>`;
    at += p.share;
    return rect;
  });
  return `<svg class="chart share" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title)}"><title>${escapeXml(options.title)}</title>${rects.join('')}</svg>`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40);
}
