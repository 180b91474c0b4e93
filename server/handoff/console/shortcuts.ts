// Keyboard shortcuts for the console (j/k next and previous conversation, c claim, e resolve, r reply, / search)
// and the list of them, opened with `?`. Keys typed into a field are the field's, never a shortcut.
import { el } from './dom.js';
import { t } from './i18n.js';

export type ShortcutAction = 'next' | 'previous' | 'claim' | 'resolve' | 'reply' | 'search';

const KEYS: Record<string, ShortcutAction> = { j: 'next', k: 'previous', c: 'claim', e: 'resolve', r: 'reply', '/': 'search' };

export function setUpShortcuts(run: (action: ShortcutAction) => void, toggle: HTMLButtonElement | null): HTMLDialogElement {
  const close = el('button', { type: 'button', id: 'shortcuts-close' }, t.close);
  const dialog = el(
    'dialog',
    { className: 'shortcuts', id: 'shortcuts', 'aria-labelledby': 'shortcuts-title' },
    el('div', { className: 'team-head' }, el('h2', { id: 'shortcuts-title' }, t.shortcutsTitle), close),
    el('dl', { className: 'shortcut-list' }, ...t.shortcuts.flatMap(([key, what]) => [el('dt', {}, el('kbd', {}, key)), el('dd', {}, what)])),
  );
  document.body.append(dialog);
  close.addEventListener('click', () => dialog.close());
  toggle?.addEventListener('click', () => dialog.showModal());

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    if (document.querySelector('dialog[open]') && event.key !== '?') return;
    if (event.key === '?') {
      event.preventDefault();
      if (dialog.open) dialog.close();
      else dialog.showModal();
      return;
    }
    const action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    run(action);
  });
  return dialog;
}
