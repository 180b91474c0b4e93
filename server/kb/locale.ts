// Which of the KB's locales a request gets: an explicit choice, else the browser's Accept-Language,
// else the KB's default (its first locale).

/** Locale codes from an Accept-Language header, most preferred first, as primary subtags ("de-AT" -> "de"). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { code: tag.trim().split('-')[0].toLowerCase(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((entry) => entry.code && entry.code !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
    .map((entry) => entry.code);
}

/** The KB locale a requested one means: itself, or its language ("de-AT" -> "de"); undefined if neither is served. */
export function matchLocale(available: readonly string[], requested: string | undefined): string | undefined {
  if (!requested) return undefined;
  if (available.includes(requested)) return requested;
  const language = requested.toLowerCase().split(/[-_]/)[0];
  return available.includes(language) ? language : undefined;
}

export function negotiateLocale(available: string[], explicit: string | undefined, acceptLanguage: string | undefined): string {
  return matchLocale(available, explicit) ?? acceptedLanguages(acceptLanguage).find((code) => available.includes(code)) ?? available[0];
}
