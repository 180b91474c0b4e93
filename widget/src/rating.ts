// After a conversation is resolved the customer may rate it: 1–5 stars (a radio group, so arrow keys work)
// and an optional comment.
import { h, icon } from './dom.js';
import type { Strings } from './i18n.js';

const STAR = 'M12 3.6l2.6 5.3 5.8.8-4.2 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.2-4.1 5.8-.8z';

export function ratingForm(strings: Strings, idPrefix: string, submit: (stars: number, comment: string) => Promise<void>): HTMLElement {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const stars = h('div', { class: 'stars' });
  const light = (upTo: number) => stars.querySelectorAll('label').forEach((label, i) => label.classList.toggle('lit', i < upTo));
  const chosen = () => Number(stars.querySelector<HTMLInputElement>('input:checked')?.value ?? 0);
  for (let n = 1; n <= 5; n++) {
    const id = `${idPrefix}-star-${n}`;
    stars.append(
      h('input', { type: 'radio', name: `${idPrefix}-stars`, id, value: n, onchange: () => light(chosen()) }),
      h('label', { for: id, title: strings.star(n), onmouseenter: () => light(n), onmouseleave: () => light(chosen()) }, icon(STAR), h('span', { class: 'sr' }, strings.star(n))),
    );
  }
  const comment = h('textarea', { id: `${idPrefix}-comment`, maxlength: 1000, rows: 2 });
  const button = h('button', { type: 'submit', class: 'primary' }, strings.rateSend);
  const form = h(
    'form',
    { class: 'rating', 'aria-labelledby': `${idPrefix}-title` },
    h('p', { class: 'rating-title', id: `${idPrefix}-title` }, strings.rateTitle),
    h('fieldset', {}, h('legend', { class: 'sr' }, strings.rateStars), stars),
    h('label', { class: 'label', for: comment.id }, strings.rateComment),
    comment,
    error,
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = chosen();
    if (!value) {
      error.textContent = strings.rateChooseStars;
      error.hidden = false;
      return;
    }
    button.disabled = true;
    try {
      await submit(value, comment.value.trim());
      form.replaceWith(h('p', { class: 'rating thanks', role: 'status' }, strings.rateThanks));
    } catch {
      error.textContent = strings.unreachable;
      error.hidden = false;
      button.disabled = false;
    }
  });
  return form;
}
