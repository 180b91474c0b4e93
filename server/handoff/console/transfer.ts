// The transfer dialog: pick a colleague, write them a note (stored as an internal note), hand the conversation over.
import { api } from './api.js';
import { el, clear } from './dom.js';
import { t } from './i18n.js';

export interface TransferDialog {
  open(conversationId: string, currentAgentId: number | null): Promise<void>;
}

export function setUpTransfer(onDone: () => void, report: (error: unknown) => void): TransferDialog {
  const colleague = el('select', { id: 'transfer-agent', required: true });
  const note = el('textarea', { id: 'transfer-note', rows: 3, required: true, maxLength: 2000 });
  const status = el('p', { className: 'composer-hint', id: 'transfer-status' });
  const submit = el('button', { type: 'submit', className: 'primary', id: 'transfer-submit' }, t.transferSubmit);
  const cancel = el('button', { type: 'button', id: 'transfer-cancel' }, t.cancel);
  const form = el(
    'form',
    { className: 'transfer-form', method: 'dialog' },
    el('label', { htmlFor: 'transfer-agent' }, t.transferTo), colleague,
    el('label', { htmlFor: 'transfer-note' }, t.transferNote), note,
    status,
    el('div', { className: 'composer-row' }, cancel, submit),
  );
  const dialog = el('dialog', { className: 'transfer', id: 'transfer', 'aria-labelledby': 'transfer-title' }, el('h2', { id: 'transfer-title' }, t.transferTitle), form);
  document.body.append(dialog);
  let conversationId = '';

  cancel.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      await api.post(`/api/agent/conversations/${encodeURIComponent(conversationId)}/transfer`, { agentId: Number(colleague.value), note: note.value });
      dialog.close();
      onDone();
    } catch (error) {
      report(error);
    } finally {
      submit.disabled = false;
    }
  });

  return {
    async open(id, currentAgentId) {
      conversationId = id;
      note.value = '';
      status.textContent = '';
      const { agents } = await api.get<{ agents: Array<{ id: number; name: string }> }>('/api/agent/agents');
      clear(colleague);
      const others = agents.filter((a) => a.id !== currentAgentId);
      for (const agent of others) colleague.append(el('option', { value: String(agent.id) }, agent.name));
      submit.disabled = others.length === 0;
      if (others.length === 0) status.textContent = t.noColleague;
      dialog.showModal();
      colleague.focus();
    },
  };
}
