// Attachments in the console (issue 13): a message's files as thumbnails (images) or download links (PDF),
// served same-origin with the agent's session; and the button that sends the customer a file.
import { ApiError } from './api.js';
import { el } from './dom.js';
import type { AgentMessage } from './types.js';

type Attachment = NonNullable<AgentMessage['attachments']>[number];
const IMAGE = /^image\/(png|jpeg|gif|webp)$/;
const csrfToken = () => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Only our own attachment URLs become links or images. */
export function renderAttachments(files: Attachment[] | undefined): HTMLElement | null {
  const valid = (files ?? []).filter((f) => /^\/api\/agent\/conversations\/[^/]+\/attachments\/[^/]+$/.test(f.url));
  if (!valid.length) return null;
  return el(
    'ul',
    { className: 'attachments' },
    ...valid.map((file) =>
      el(
        'li',
        { className: 'attachment' },
        IMAGE.test(file.type)
          ? el('a', { href: file.url, target: '_blank', rel: 'noopener noreferrer', title: file.name }, el('img', { src: file.url, alt: file.name, className: 'attachment-thumb', loading: 'lazy' }))
          : el('a', { href: file.url, download: file.name, rel: 'noopener noreferrer' }, `${file.name} (${size(file.size)})`),
      ),
    ),
  );
}

/** The composer's "Attach file" button: the chosen file goes to the open conversation as the agent's reply. */
export function attachButton(label: string, hint: string, conversationId: () => string | undefined, sent: (message: AgentMessage) => void, failed: (error: unknown) => void): HTMLElement {
  const picker = el('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp,application/pdf', hidden: true, id: 'attach-input' });
  const button = el('button', { type: 'button', id: 'attach-file', title: hint }, label);
  button.addEventListener('click', () => picker.click());
  picker.addEventListener('change', async () => {
    const file = picker.files?.[0];
    picker.value = '';
    const id = conversationId();
    if (!file || !id) return;
    button.disabled = true;
    try {
      const response = await fetch(`/api/agent/conversations/${encodeURIComponent(id)}/attachments`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/octet-stream', 'x-csrf-token': csrfToken(), 'x-file-name': encodeURIComponent(file.name) },
        body: file,
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new ApiError(response.status, data.message ?? `upload failed (${response.status})`);
      sent(data.message);
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  });
  return el('span', { className: 'attach-tool' }, picker, button);
}
