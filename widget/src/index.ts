// Entry of widget.js: one script tag on any site mounts the chat.
//   <script src="https://HOST/widget.js" data-locale="de" async></script>
// Optional: data-title (panel heading), data-color (#rrggbb accent), data-position="left",
// data-user-id + data-user-hash (a signed-in user of the site, signed by the site's server: see README).
// The page can open the chat with window.SupportDesk.open() or any element carrying data-supportdesk-open.
import { pickLocale, stringsFor } from './i18n.js';
import { accentColor } from './styles.js';
import { ChatWidget } from './widget.js';

declare global {
  interface Window {
    SupportDesk?: { open(): void; close(): void; toggle(): void };
  }
}

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  return document.querySelector<HTMLScriptElement>('script[src$="/widget.js"], script[src*="/widget.js?"]');
}

const script = ownScript();
if (script && !window.SupportDesk) {
  // The API lives next to the script: https://HOST/widget.js talks to https://HOST/api/chat/…
  const apiBase = new URL('.', script.src).href.replace(/\/$/, '');
  const data = script.dataset;
  const locale = pickLocale(data.locale, document.documentElement.lang, navigator.language);
  const widget = new ChatWidget({
    apiBase,
    locale,
    strings: stringsFor(locale),
    title: data.title,
    accent: accentColor(data.color),
    position: data.position === 'left' ? 'left' : 'right',
    user: data.userId && data.userHash ? { id: data.userId, hash: data.userHash } : undefined,
  });
  window.SupportDesk = { open: () => widget.open(), close: () => widget.close(), toggle: () => widget.toggle() };
  const mount = () => widget.mount(document.body);
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}
