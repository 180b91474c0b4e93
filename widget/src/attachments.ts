// Files in the chat (issue 13): thumbnails and download links for a message's attachments. The bytes are
// fetched with the conversation token in a header; images are shown from a data: URL (host pages' CSPs
// allow data: images more often than blob:), PDFs are saved through a download link, never opened inline.
import type { Attachment, ChatApi, Session } from './api.js';
import { h } from './dom.js';

export const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf';
const IMAGE = /^image\/(png|jpeg|gif|webp)$/;

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The list of a message's files; images load themselves, other files download on click. */
export function attachmentList(api: ChatApi, session: Session | undefined, attachments: Attachment[] | undefined, label: string): HTMLElement | null {
  const valid = Array.isArray(attachments) ? attachments.filter((a) => a && typeof a.url === 'string' && typeof a.name === 'string') : [];
  if (!valid.length || !session) return null;
  const list = h('ul', { class: 'files', 'aria-label': label });
  for (const file of valid) {
    const item = h('li', { class: 'file' });
    const download = async () => {
      const blob = await api.download(session, file.url);
      const href = URL.createObjectURL(new Blob([blob], { type: 'application/octet-stream' }));
      const link = h('a', { href, download: file.name, hidden: true });
      item.append(link);
      link.click();
      setTimeout(() => (URL.revokeObjectURL(href), link.remove()), 1000);
    };
    if (IMAGE.test(file.type)) {
      const img = h('img', { alt: file.name, class: 'thumb' });
      api.download(session, file.url).then(readAsDataUrl).then((url) => img.setAttribute('src', url)).catch(() => img.replaceWith(file.name));
      item.append(h('button', { type: 'button', class: 'thumb-button', title: file.name, onclick: () => void download().catch(() => undefined) }, img));
    } else {
      item.append(h('button', { type: 'button', class: 'file-link', onclick: () => void download().catch(() => undefined) }, `${file.name} (${size(file.size)})`));
    }
    list.append(item);
  }
  return list;
}
