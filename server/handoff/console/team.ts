// The admin's team dialog: every agent with their role and access, a new password, and a form to add an
// agent. Only rendered for admins (the page has the Team button only for them; the API refuses others anyway).
import { api } from './api.js';
import { el, clear } from './dom.js';

interface TeamMember {
  id: number;
  login: string;
  name: string;
  role: 'agent' | 'editor' | 'admin';
  disabled: boolean;
}

const ROLE_LABELS: Record<TeamMember['role'], string> = { agent: 'Agent', editor: 'Editor', admin: 'Admin' };

function roleSelect(id: string, label: string, value: TeamMember['role']): HTMLSelectElement {
  const select = el('select', { id, 'aria-label': label });
  for (const [role, text] of Object.entries(ROLE_LABELS)) select.append(el('option', { value: role, selected: role === value }, text));
  return select;
}

export function setUpTeam(button: HTMLButtonElement, report: (error: unknown) => void) {
  const list = el('tbody', { id: 'team-list' });
  const status = el('p', { className: 'team-status', id: 'team-status', role: 'status' });
  const login = el('input', { id: 'new-login', required: true, pattern: '[A-Za-z0-9._@-]{2,64}', autocomplete: 'off' });
  const name = el('input', { id: 'new-name', required: true, autocomplete: 'off' });
  const password = el('input', { id: 'new-password', type: 'password', required: true, minLength: 8, autocomplete: 'new-password' });
  const role = roleSelect('new-role', 'Role of the new agent', 'agent');
  const create = el(
    'form',
    { className: 'team-create', id: 'team-create' },
    el('h3', {}, 'Add an agent'),
    el('label', { htmlFor: 'new-login' }, 'Login'), login,
    el('label', { htmlFor: 'new-name' }, 'Name'), name,
    el('label', { htmlFor: 'new-password' }, 'Password'), password,
    el('label', { htmlFor: 'new-role' }, 'Role'), role,
    el('button', { type: 'submit', className: 'primary' }, 'Add'),
  );
  const close = el('button', { type: 'button', id: 'team-close' }, 'Close');
  const dialog = el(
    'dialog',
    { className: 'team', id: 'team', 'aria-labelledby': 'team-title' },
    el('div', { className: 'team-head' }, el('h2', { id: 'team-title' }, 'Team'), close),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Agent'), el('th', {}, 'Role'), el('th', {}, 'Access'), el('th', {}, 'Password'))), list),
    status,
    create,
  );
  document.body.append(dialog);

  async function act(url: string, body: unknown, done: string) {
    try {
      const { sessionsEnded } = await api.post<{ sessionsEnded: number }>(url, body);
      status.textContent = `${done}${sessionsEnded ? ` (${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'} ended)` : ''}.`;
    } catch (error) {
      report(error);
    }
    await load();
  }

  function row(member: TeamMember) {
    const base = `/api/agent/admin/agents/${member.id}`;
    const roleChoice = roleSelect(`role-${member.login}`, `Role of ${member.name}`, member.role);
    roleChoice.addEventListener('change', () => void act(`${base}/role`, { role: roleChoice.value }, `${member.name} is now ${ROLE_LABELS[roleChoice.value as TeamMember['role']]}`));
    const access = el('button', { type: 'button', 'data-login': member.login, className: 'access' }, member.disabled ? 'Enable' : 'Disable');
    access.addEventListener('click', () => void act(`${base}/${member.disabled ? 'enable' : 'disable'}`, undefined, `${member.name} ${member.disabled ? 'can log in again' : 'is disabled'}`));
    const reset = el('button', { type: 'button', className: 'reset-password', 'data-login': member.login }, 'New password…');
    reset.addEventListener('click', () => {
      const value = prompt(`New password for ${member.name} (at least 8 characters). Their sessions end.`);
      if (value) void act(`${base}/password`, { password: value }, `New password set for ${member.name}`);
    });
    return el(
      'tr',
      { 'data-login': member.login, className: member.disabled ? 'disabled' : '' },
      el('td', {}, el('strong', {}, member.name), ` ${member.login}`),
      el('td', {}, roleChoice),
      el('td', {}, el('span', { className: 'access-state' }, member.disabled ? 'Disabled ' : 'Active '), access),
      el('td', {}, reset),
    );
  }

  async function load() {
    const { agents } = await api.get<{ agents: TeamMember[] }>('/api/agent/admin/agents');
    clear(list);
    for (const member of agents) list.append(row(member));
  }

  create.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.post('/api/agent/admin/agents', { login: login.value.trim(), name: name.value.trim(), role: role.value, password: password.value });
      status.textContent = `${name.value.trim()} was added.`;
      create.reset();
    } catch (error) {
      report(error);
    }
    await load();
  });
  close.addEventListener('click', () => dialog.close());
  button.addEventListener('click', () => {
    dialog.showModal();
    void load().catch(report);
  });
}
