// The agent's presence control in the top bar (online / away / offline) and the activity that keeps an
// idle agent from going away: a click or a key press tells the server, at most twice a minute.
import { api } from './api.js';
import { el } from './dom.js';

type PresenceState = 'online' | 'away' | 'offline';
const LABELS: Record<PresenceState, string> = { online: 'Online', away: 'Away', offline: 'Offline' };
const ACTIVITY_EVERY_MS = 30_000;

export function setUpPresence(socket: () => WebSocket | undefined, report: (error: unknown) => void): void {
  const select = el('select', { id: 'presence', 'aria-label': 'Your status' }) as HTMLSelectElement;
  for (const state of Object.keys(LABELS) as PresenceState[]) select.append(el('option', { value: state }, LABELS[state]));
  const control = el('label', { className: 'presence' }, el('span', { className: 'presence-dot', 'aria-hidden': 'true' }), select);
  const show = (state: PresenceState) => {
    select.value = state;
    control.dataset.state = state;
  };
  document.querySelector('.topbar .who')?.before(control);

  api.get<{ state: PresenceState }>('/api/agent/presence').then((p) => show(p.state === 'offline' ? 'online' : p.state), report);
  select.addEventListener('change', () => {
    api.post<{ state: PresenceState }>('/api/agent/presence', { state: select.value }).then((p) => show(p.state), report);
  });

  let lastSent = 0;
  const active = () => {
    const now = Date.now();
    const open = socket();
    if (now - lastSent < ACTIVITY_EVERY_MS || open?.readyState !== WebSocket.OPEN) return;
    lastSent = now;
    open.send(JSON.stringify({ type: 'active' }));
  };
  document.addEventListener('keydown', active, { capture: true, passive: true });
  document.addEventListener('pointerdown', active, { capture: true, passive: true });
}
