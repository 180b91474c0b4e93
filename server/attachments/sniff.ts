// What an uploaded file really is, from its first bytes: the client's Content-Type and file name are
// never trusted. Only formats a browser cannot run as a page or script are accepted.
export type AttachmentType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf';

const startsWith = (data: Buffer, bytes: number[], at = 0) => data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The detected type, or undefined for anything else (HTML, SVG, scripts, unknown). */
export function sniffType(data: Buffer): AttachmentType | undefined {
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, ascii('GIF87a')) || startsWith(data, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(data, ascii('%PDF-'))) return 'application/pdf';
  return undefined;
}

export const ACCEPTED_TYPES = 'PNG, JPEG, GIF, WebP or PDF';

/** Raster images may be shown inline; everything else (PDF) is only downloaded. */
export function isInlineImage(type: string): boolean {
  return type === 'image/png' || type === 'image/jpeg' || type === 'image/gif' || type === 'image/webp';
}

/** A file name safe to show and to put in a header: letters, digits, space . _ - only, at most 100 characters. */
export function sanitiseFileName(raw: string | undefined, type: AttachmentType): string {
  let name = '';
  try {
    name = decodeURIComponent(raw ?? '');
  } catch {
    name = raw ?? '';
  }
  name = name.split(/[\\/]/).pop()!.normalize('NFKD').replace(/[^A-Za-z0-9 ._-]/g, '_').replace(/^[.\s]+/, '').trim().slice(0, 100);
  const extension = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'application/pdf': 'pdf' }[type];
  if (!name) name = `attachment.${extension}`;
  return name;
}
