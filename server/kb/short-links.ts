// Short links for channels where every character costs (SMS): /s/<code>, a stable code derived from
// the article's locale and id, so no table is needed and a link stays valid across restarts.
import { createHash } from 'node:crypto';

export const SHORT_LINK_PREFIX = '/s/';

export function shortCode(locale: string, id: string): string {
  return createHash('sha256').update(`${locale}/${id}`).digest('base64url').slice(0, 7);
}

export function shortUrl(publicUrl: string, locale: string, id: string): string {
  return `${publicUrl}${SHORT_LINK_PREFIX}${shortCode(locale, id)}`;
}
