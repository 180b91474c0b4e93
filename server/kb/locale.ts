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

export function negotiateLocale(available: string[], explicit: string | undefined, acceptLanguage: string | undefined): string {
  if (explicit && available.includes(explicit)) return explicit;
  return acceptedLanguages(acceptLanguage).find((code) => available.includes(code)) ?? available[0];
}
