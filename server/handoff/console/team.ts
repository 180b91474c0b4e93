// The admin's team dialog: every agent with their role and access, a new password, and a form to add an
// agent. Only rendered for admins (the page has the Team button only for them; the API refuses others anyway).
import { api } from './api.js';
import { el, clear } from './dom.js';
import { t } from './i18n.js';

interface TeamMember {
  id: number;
  login: string;
  name: string;
  role: 'agent' | 'editor' | 'admin';
  disabled: boolean;
}

const ROLE_LABELS: Record<TeamMember['role'], string> = t.teamText.roles as Record<TeamMember['role'], string>;

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
  const role = roleSelect('new-role', t.teamText.newRole, 'agent');
  const create = el(
    'form',
    { className: 'team-create', id: 'team-create' },
    el('h3', {}, t.teamText.addAgent),
    el('label', { htmlFor: 'new-login' }, t.teamText.login), login,
    el('label', { htmlFor: 'new-name' }, t.teamText.name), name,
    el('label', { htmlFor: 'new-password' }, t.teamText.password), password,
    el('label', { htmlFor: 'new-role' }, t.teamText.role), role,
    el('button', { type: 'submit', className: 'primary' }, t.teamText.add),
  );
  const close = el('button', { type: 'button', id: 'team-close' }, t.close);
  const dialog = el(
    'dialog',
    { className: 'team', id: 'team', 'aria-labelledby': 'team-title' },
    el('div', { className: 'team-head' }, el('h2', { id: 'team-title' }, t.team), close),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, t.teamText.agent), el('th', {}, t.teamText.role), el('th', {}, t.teamText.access), el('th', {}, t.teamText.password))), list),
    status,
    create,
  );
  document.body.append(dialog);

  async function act(url: string, body: unknown, done: string) {
    try {
      const { sessionsEnded } = await api.post<{ sessionsEnded: number }>(url, body);
      status.textContent = `${done}${sessionsEnded ? ` (${t.teamText.sessionsEnded(sessionsEnded)})` : ''}.`;
    } catch (error) {
      report(error);
    }
    await load();
  }

  function row(member: TeamMember) {
    const base = `/api/agent/admin/agents/${member.id}`;
    const roleChoice = roleSelect(`role-${member.login}`, t.teamText.roleOf(member.name), member.role);
    roleChoice.addEventListener('change', () => void act(`${base}/role`, { role: roleChoice.value }, t.teamText.isNow(member.name, ROLE_LABELS[roleChoice.value as TeamMember['role']])));
    const access = el('button', { type: 'button', 'data-login': member.login, className: 'access' }, member.disabled ? t.teamText.enable : t.teamText.disable);
    access.addEventListener('click', () => void act(`${base}/${member.disabled ? 'enable' : 'disable'}`, undefined, member.disabled ? t.teamText.enabledAgain(member.name) : t.teamText.isDisabled(member.name)));
    const reset = el('button', { type: 'button', className: 'reset-password', 'data-login': member.login }, t.teamText.newPassword);
    reset.addEventListener('click', () => {
      const value = prompt(t.teamText.passwordPrompt(member.name));
      if (value) void act(`${base}/password`, { password: value }, t.teamText.passwordSet(member.name));
    });
    return el(
      'tr',
      { 'data-login': member.login, className: member.disabled ? 'disabled' : '' },
      el('td', {}, el('strong', {}, member.name), ` ${member.login}`),
      el('td', {}, roleChoice),
      el('td', {}, el('span', { className: 'access-state' }, member.disabled ? `${t.teamText.disabled} ` : `${t.teamText.active} `), access),
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
      status.textContent = t.teamText.added(name.value.trim());
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
