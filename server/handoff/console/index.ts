// The agent console in the browser: plain DOM, no framework. It fills the server-rendered shell from the
// agent JSON API and stays live over /api/agent/stream. Every piece of customer (or any stored) text is
// put on the page with textContent through el(): never as HTML.
import { api, ApiError } from './api.js';
import { el, clear, timeAgo, clock } from './dom.js';
import type { AgentMessage, ConversationDetail, ConversationSummary, Me, QueueItem, KbHit } from './types.js';
import { Alerts } from './alerts.js';
import { setUpTeam } from './team.js';

// The page offers only what the role may do (the server enforces it anyway): editors get the knowledge base,
// no queue; agents and admins handle conversations; admins also manage the team.
const role = document.body.dataset.role ?? 'agent';
const handlesConversations = role === 'agent' || role === 'admin';

const REASONS: Record<string, string> = {
  customer_request: 'Asked for a person',
  no_answer: 'Bot found no answer',
  not_helpful: 'Answer did not help',
  voice_transfer: 'Transferred from a call',
  callback: 'Call back (phone)',
};
const CHANNELS: Record<string, string> = { web: 'Web chat', sms: 'SMS', voice: 'Phone' };
const STATUS: Record<string, string> = { bot: 'With the bot', queued: 'Waiting', assigned: 'Assigned', resolved: 'Resolved' };

const state = {
  me: undefined as Me | undefined,
  queue: [] as QueueItem[],
  knownQueued: new Set<string>(),
  firstQueueLoad: true,
  openId: undefined as string | undefined,
  detail: undefined as ConversationDetail | undefined,
  mode: 'reply' as 'reply' | 'note',
};

const root = document.getElementById('app')!;
const alerts = new Alerts(document.getElementById('alerts-toggle') as HTMLButtonElement | null);

// --- layout: queue | conversation | customer

const queueCount = el('span', { className: 'count', title: 'waiting' }, '0');
const queueList = el('ul', { className: 'queue-list', id: 'queue-list', 'aria-label': 'Queue' });
const announcer = el('div', { className: 'visually-hidden', 'aria-live': 'polite', id: 'announcer' });
const queuePane = el('nav', { className: 'pane queue-pane', 'aria-label': 'Queue' }, el('h2', {}, 'Queue ', queueCount), queueList, announcer);
const conversationPane = el('section', { className: 'pane conversation-pane', id: 'conversation', 'aria-label': 'Conversation' });
const customerPane = el('aside', { className: 'pane customer-pane', id: 'customer', 'aria-label': 'Customer' });
if (handlesConversations) {
  root.append(queuePane, conversationPane, customerPane);
  renderEmptyConversation();
}

/**
 * How agents call a customer: the name on record, else a verified e-mail or phone number, else a name typed in
 * the chat (marked unverified: anybody can type any name), else a short visitor number.
 */
function customerLabel(customer: { name?: string | null; identities: Array<{ kind: string; value: string }> }, claims?: ConversationSummary['claims']): string {
  if (customer.name) return customer.name;
  const contact = customer.identities.find((i) => i.kind === 'email') ?? customer.identities.find((i) => i.kind === 'phone');
  if (contact) return contact.value;
  if (claims?.name) return `${claims.name} (unverified)`;
  const user = customer.identities.find((i) => i.kind === 'user');
  if (user) return `Site user ${user.value}`;
  const visitor = customer.identities.find((i) => i.kind === 'web');
  return visitor ? `Web visitor ${visitor.value.slice(0, 8)}` : 'Unknown customer';
}

function renderEmptyConversation() {
  clear(conversationPane);
  clear(customerPane);
  conversationPane.append(el('p', { className: 'empty' }, 'Pick a conversation from the queue.'));
}

// --- the queue

function renderQueue() {
  clear(queueList);
  queueCount.textContent = String(state.queue.filter((c) => c.status === 'queued').length);
  if (state.queue.length === 0) queueList.append(el('li', { className: 'empty' }, 'Nobody is waiting.'));
  for (const item of state.queue) {
    const customer = customerLabel(item.customer, item.claims);
    const holder = item.status === 'assigned' ? `with ${item.assignedAgent?.id === state.me?.id ? 'you' : (item.assignedAgent?.name ?? 'someone')}` : `waiting ${timeAgo(item.queuedAt)}`;
    const button = el(
      'button',
      { type: 'button', className: 'queue-item', 'data-id': item.id, 'data-status': item.status, 'aria-current': item.id === state.openId ? 'true' : 'false' },
      el('span', { className: 'queue-top' }, el('span', { className: `channel channel-${item.channel}` }, CHANNELS[item.channel] ?? item.channel), el('strong', { className: 'customer-name' }, customer)),
      el('span', { className: 'first-question' }, item.firstQuestion ?? '(no question yet)'),
      el('span', { className: 'queue-meta' }, el('span', { className: 'reason' }, REASONS[item.reason ?? ''] ?? item.reason ?? ''), el('span', { className: `holder status-${item.status}` }, holder)),
    );
    button.addEventListener('click', () => void openConversation(item.id));
    queueList.append(el('li', {}, button));
  }
}

async function loadQueue() {
  const { conversations } = await api.get<{ conversations: QueueItem[] }>('/api/agent/queue');
  state.queue = conversations;
  const newlyQueued = conversations.filter((c) => c.status === 'queued' && !state.knownQueued.has(c.id));
  for (const c of newlyQueued) state.knownQueued.add(c.id);
  if (!state.firstQueueLoad && newlyQueued.length) {
    const who = newlyQueued[0].customer.name ?? 'A customer';
    announcer.textContent = `${who} is waiting: ${newlyQueued[0].firstQuestion ?? ''}`;
    alerts.notify('New conversation waiting', `${who}: ${newlyQueued[0].firstQuestion ?? ''}`);
  }
  state.firstQueueLoad = false;
  renderQueue();
}

let queueTimer: ReturnType<typeof setTimeout> | undefined;
function reloadQueueSoon() {
  clearTimeout(queueTimer);
  queueTimer = setTimeout(() => void loadQueue().catch(report), 100);
}

// --- one conversation

async function openConversation(id: string) {
  state.openId = id;
  history.replaceState(null, '', `#c=${encodeURIComponent(id)}`);
  renderQueue();
  try {
    state.detail = await api.get<ConversationDetail>(`/api/agent/conversations/${encodeURIComponent(id)}`);
  } catch (error) {
    report(error);
    return;
  }
  renderConversation();
}

async function refreshOpen() {
  if (!state.openId) return;
  state.detail = await api.get<ConversationDetail>(`/api/agent/conversations/${encodeURIComponent(state.openId)}`);
  renderConversation({ keepComposer: true });
}

const transcript = el('ol', { className: 'transcript', id: 'transcript', 'aria-label': 'Transcript', 'aria-live': 'polite' });
const composerText = el('textarea', { id: 'composer-text', rows: 3, placeholder: 'Write a reply: Enter sends, Shift+Enter for a new line', 'aria-label': 'Reply' });
const composerHint = el('p', { className: 'composer-hint', id: 'composer-hint' });
const sendButton = el('button', { type: 'submit', className: 'primary', id: 'send' }, 'Send');
const replyTab = el('button', { type: 'button', className: 'tab', id: 'mode-reply', 'aria-pressed': 'true' }, 'Reply');
const noteTab = el('button', { type: 'button', className: 'tab', id: 'mode-note', 'aria-pressed': 'false' }, 'Internal note');
const composer = el('form', { className: 'composer', id: 'composer' }, el('div', { className: 'tabs' }, replyTab, noteTab), composerText, el('div', { className: 'composer-row' }, composerHint, sendButton));
const kbInput = el('input', { type: 'search', id: 'kb-query', placeholder: 'Search the help center for an answer…', 'aria-label': 'Search the knowledge base' });
const kbResults = el('ul', { className: 'kb-results', id: 'kb-results' });
const kbForm = el('form', { className: 'kb-search', id: 'kb-search', role: 'search' }, kbInput, el('button', { type: 'submit' }, 'Search'));
const kbPanel = el('details', { className: 'kb-panel' }, el('summary', {}, 'Knowledge base'), kbForm, kbResults);

kbPanel.addEventListener('toggle', () => (transcript.scrollTop = transcript.scrollHeight));

// editors: the knowledge base on its own, in the language they choose
let kbLocale: HTMLSelectElement | undefined;
if (!handlesConversations) {
  kbLocale = el('select', { id: 'kb-locale', 'aria-label': 'Language' }, el('option', { value: 'de' }, 'Deutsch'), el('option', { value: 'en' }, 'English'));
  kbForm.insertBefore(kbLocale, kbForm.lastChild);
  root.classList.add('layout-single');
  root.append(el('section', { className: 'pane kb-pane', id: 'kb-pane', 'aria-label': 'Knowledge base' }, el('h2', {}, 'Knowledge base'), kbForm, kbResults));
}

function setMode(mode: 'reply' | 'note') {
  state.mode = mode;
  replyTab.setAttribute('aria-pressed', String(mode === 'reply'));
  noteTab.setAttribute('aria-pressed', String(mode === 'note'));
  composer.classList.toggle('note-mode', mode === 'note');
  composerText.setAttribute('aria-label', mode === 'note' ? 'Internal note' : 'Reply');
  composerText.placeholder = mode === 'note' ? 'Internal note for the team: never shown to the customer' : 'Write a reply: Enter sends, Shift+Enter for a new line';
  updateComposer();
}
replyTab.addEventListener('click', () => setMode('reply'));
noteTab.addEventListener('click', () => setMode('note'));

function mine(): boolean {
  const c = state.detail?.conversation;
  return !!c && c.status === 'assigned' && c.assignedAgent?.id === state.me?.id;
}

function updateComposer() {
  const canReply = mine();
  const blocked = state.mode === 'reply' && !canReply;
  sendButton.disabled = blocked;
  sendButton.textContent = state.mode === 'note' ? 'Add note' : 'Send';
  composerHint.textContent = blocked ? 'Claim the conversation to reply. Internal notes are always possible.' : state.mode === 'note' ? 'Only agents see notes.' : '';
}

composerText.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    composer.requestSubmit();
  }
});

composer.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = composerText.value.trim();
  if (!text || !state.openId || sendButton.disabled) return;
  const path = state.mode === 'note' ? 'notes' : 'reply';
  sendButton.disabled = true;
  try {
    const { message } = await api.post<{ message: AgentMessage }>(`/api/agent/conversations/${encodeURIComponent(state.openId)}/${path}`, { text });
    composerText.value = '';
    appendMessage(message);
  } catch (error) {
    report(error);
  } finally {
    updateComposer();
    composerText.focus();
  }
});

kbForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const q = kbInput.value.trim();
  if (!q) return;
  const locale = state.detail?.conversation.locale ?? kbLocale?.value ?? 'en';
  try {
    const { hits } = await api.get<{ hits: KbHit[] }>(`/api/agent/kb/search?q=${encodeURIComponent(q)}&locale=${encodeURIComponent(locale.slice(0, 2))}`);
    clear(kbResults);
    if (hits.length === 0) kbResults.append(el('li', { className: 'empty' }, 'No article found.'));
    for (const hit of hits) {
      const article = el('div', {}, el('strong', {}, hit.title), el('p', {}, hit.summary), el('a', { href: hit.url, target: '_blank', rel: 'noopener noreferrer' }, hit.url));
      if (!handlesConversations) {
        kbResults.append(el('li', {}, article));
        continue;
      }
      const insert = el('button', { type: 'button', className: 'insert' }, 'Insert');
      insert.addEventListener('click', () => {
        const snippet = `${hit.summary}\n${hit.url}`;
        composerText.value = composerText.value.trim() ? `${composerText.value.trimEnd()}\n\n${snippet}` : snippet;
        setMode('reply');
        composerText.focus();
      });
      kbResults.append(el('li', {}, article, insert));
    }
  } catch (error) {
    report(error);
  }
});

function actionButton(label: string, id: string, action: string, className = '') {
  const button = el('button', { type: 'button', id, className }, label);
  button.addEventListener('click', async () => {
    if (!state.openId) return;
    if (action === 'resolve' && !confirm('Resolve this conversation? The customer will be asked for a rating.')) return;
    button.disabled = true;
    try {
      await api.post(`/api/agent/conversations/${encodeURIComponent(state.openId)}/${action}`);
      await refreshOpen();
      reloadQueueSoon();
      if (action === 'claim') composerText.focus();
    } catch (error) {
      report(error);
      await refreshOpen().catch(() => {});
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function renderConversation(options: { keepComposer?: boolean } = {}) {
  const detail = state.detail;
  if (!detail) return renderEmptyConversation();
  const c = detail.conversation;
  clear(conversationPane);
  const customerName = customerLabel(detail.customer, detail.conversation.claims);
  const actions = el('div', { className: 'actions' });
  if (c.status === 'queued') actions.append(actionButton('Claim', 'claim', 'claim', 'primary'));
  if (c.status === 'queued' || mine()) actions.append(actionButton('Hand back to bot', 'hand-back', 'hand-back'), actionButton('Resolve', 'resolve', 'resolve'));
  const statusText = c.status === 'assigned' ? `Assigned to ${c.assignedAgent?.id === state.me?.id ? 'you' : (c.assignedAgent?.name ?? 'someone')}` : STATUS[c.status];
  conversationPane.append(
    el(
      'header',
      { className: 'conversation-header' },
      el('div', {}, el('h2', { id: 'conversation-title' }, customerName), el('p', { className: 'meta' }, `${CHANNELS[c.channel] ?? c.channel} · ${c.locale} · `, el('span', { id: 'conversation-status', className: `status-${c.status}` }, statusText))),
      actions,
    ),
  );
  if (detail.escalation) {
    const e = detail.escalation;
    const box = el('div', { className: 'escalation', id: 'escalation' }, el('strong', {}, `Handed over: ${REASONS[e.reason] ?? e.reason}`), e.offline ? el('span', { className: 'badge' }, 'outside opening hours') : '');
    if (e.offered.length) {
      box.append(el('p', {}, 'The bot offered: '), el('ul', {}, ...e.offered.map((a) => {
        const verdict = e.feedback.find((f) => f.articleId === a.id);
        return el('li', {}, a.url ? el('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer' }, a.title) : a.title, verdict ? el('span', { className: verdict.helpful ? 'helpful' : 'not-helpful' }, verdict.helpful ? ' · helpful' : ' · did not help') : '');
      })));
    } else {
      box.append(el('p', {}, 'The bot offered no article.'));
    }
    if (c.callbackContact) box.append(el('p', { className: 'callback' }, 'Answer at: ', el('strong', {}, c.callbackContact), ' (unverified: typed by the customer)'));
    conversationPane.append(box);
  }
  clear(transcript);
  for (const message of detail.messages) transcript.append(renderMessage(message));
  if (!options.keepComposer) {
    composerText.value = '';
    clear(kbResults);
  }
  conversationPane.append(transcript);
  if (c.status !== 'resolved' && c.status !== 'bot') conversationPane.append(composer, kbPanel);
  else conversationPane.append(el('p', { className: 'closed-note' }, c.status === 'resolved' ? `Resolved${c.rating ? ` · rated ${c.rating}/5` : ''}${c.ratingComment ? `: “${c.ratingComment}”` : ''}` : 'The bot is handling this conversation.'));
  updateComposer();
  transcript.scrollTop = transcript.scrollHeight;
  renderCustomer(detail);
}

function renderMessage(m: AgentMessage): HTMLElement {
  const who = m.internal ? (m.escalation ? 'Handed over to the team' : m.author === 'system' ? 'Record' : `Note · ${m.agentName ?? 'agent'}`) : m.author === 'agent' ? (m.agentName ?? 'Agent') : m.author === 'bot' ? 'Bot' : m.author === 'system' ? 'System' : 'Customer';
  const item = el('li', { className: `message author-${m.author}${m.internal ? ' internal' : ''}`, 'data-seq': String(m.seq) }, el('div', { className: 'message-head' }, el('span', { className: 'who' }, who), el('time', { dateTime: m.createdAt }, clock(m.createdAt))));
  item.append(el('p', { className: 'text' }, m.escalation ? (REASONS[m.escalation.reason] ?? m.escalation.reason) : m.text));
  if (m.articles?.length) {
    item.append(el('ul', { className: 'articles' }, ...m.articles.map((a) => el('li', {}, a.url ? el('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer' }, a.title) : a.title))));
  }
  if (m.media?.length) {
    item.append(el('ul', { className: 'media' }, ...m.media.map((media) => el('li', {}, el('a', { href: media.url, target: '_blank', rel: 'noopener noreferrer' }, media.contentType || 'attachment')))));
  }
  const tags: string[] = [];
  if (m.decision) tags.push(`decision: ${m.decision}`);
  if (m.feedback) tags.push(m.feedback === 'helpful' ? 'said it helped' : 'said it did not help');
  else if (m.action) tags.push(`pressed: ${m.action}`);
  if (m.deliveryState) tags.push(`delivery: ${m.deliveryState}${m.deliveryError ? ` (${m.deliveryError})` : ''}`);
  if (m.input) tags.push(m.input.kind === 'speech' ? `spoken${m.input.confidence !== undefined ? `, confidence ${Math.round(m.input.confidence * 100)}%` : ''}` : 'keypad');
  if (tags.length) item.append(el('p', { className: 'tags' }, tags.join(' · ')));
  return item;
}

function appendMessage(message: AgentMessage) {
  if (!state.detail) return;
  if (state.detail.messages.some((m) => m.seq === message.seq)) return;
  state.detail.messages.push(message);
  const nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
  transcript.append(renderMessage(message));
  if (nearBottom || message.author === 'agent') transcript.scrollTop = transcript.scrollHeight;
}

function renderCustomer(detail: ConversationDetail) {
  clear(customerPane);
  const labels: Record<string, string> = { web: 'Web visitor', phone: 'Phone', email: 'E-mail', user: 'Site user (verified)' };
  customerPane.append(
    el('h2', {}, 'Customer'),
    el('p', { className: 'customer-name' }, detail.customer.name ?? 'No name on record'),
    el('dl', { className: 'identities' }, ...detail.customer.identities.flatMap((i) => [el('dt', {}, labels[i.kind] ?? i.kind), el('dd', {}, i.value)])),
  );
  const claims = detail.conversation.claims;
  if (claims) {
    // typed by whoever started the chat: never proof of who they are, so never shown as an identity
    const given: Array<[string, string | null]> = [['Name', claims.name], ['E-mail', claims.email], ['Phone', claims.phone]];
    customerPane.append(
      el('h3', {}, 'Given in this chat (unverified)'),
      el('dl', { className: 'identities claims', id: 'claims' }, ...given.filter(([, value]) => value).flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, `${value} (unverified)`)])),
    );
  }
  customerPane.append(el('h3', {}, 'Other conversations'));
  if (detail.otherConversations.length === 0) customerPane.append(el('p', { className: 'empty' }, 'None.'));
  const list = el('ul', { className: 'history', id: 'history' });
  for (const other of detail.otherConversations) {
    const open = el('button', { type: 'button', className: 'history-item' }, el('span', { className: `channel channel-${other.channel}` }, CHANNELS[other.channel] ?? other.channel), el('span', {}, ` ${new Date(other.createdAt).toLocaleDateString()} · ${STATUS[other.status]}`), el('span', { className: 'first-question' }, other.firstQuestion ?? '(no question)'));
    open.addEventListener('click', () => void openConversation(other.id));
    list.append(el('li', {}, open));
  }
  customerPane.append(list);
}

// --- live updates

interface StreamEvent {
  type: 'hello' | 'status' | 'message' | 'delivery';
  conversationId: string;
  status?: string;
  message?: AgentMessage;
}

let retry = 0;
function connect() {
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/agent/stream`);
  socket.addEventListener('open', () => {
    retry = 0;
    document.body.dataset.live = 'true';
    void loadQueue().catch(report); // catch up on what happened while disconnected
    void refreshOpen().catch(() => {});
  });
  socket.addEventListener('message', (event) => {
    const data = JSON.parse(String(event.data)) as StreamEvent;
    if (data.type === 'status') {
      reloadQueueSoon();
      if (data.conversationId === state.openId) void refreshOpen().catch(report);
    } else if (data.type === 'delivery') {
      // an SMS was sent, delivered or failed: the open transcript shows its new state and reason
      if (data.conversationId === state.openId) void refreshOpen().catch(report);
    } else if (data.type === 'message' && data.message) {
      if (data.conversationId === state.openId) appendMessage(data.message);
      if (data.message.author === 'customer' && !state.queue.find((c) => c.id === data.conversationId)?.firstQuestion) reloadQueueSoon();
    }
  });
  socket.addEventListener('close', (event) => {
    document.body.dataset.live = 'false';
    if (event.code === 4401) return location.assign('/agent/login');
    // 1012: the server restarts (a deploy): reconnect soon, to another instance; opening again reloads the queue
    if (event.code === 1012) return void setTimeout(connect, 100 + Math.random() * 900);
    retry = Math.min(retry + 1, 6);
    setTimeout(connect, 500 * 2 ** retry);
  });
}

function report(error: unknown) {
  if (error instanceof ApiError && error.status === 401) return location.assign('/agent/login');
  const message = error instanceof Error ? error.message : String(error);
  const banner = document.getElementById('error-banner');
  if (banner) {
    banner.textContent = message;
    banner.hidden = false;
    setTimeout(() => (banner.hidden = true), 6000);
  }
}

if (handlesConversations) setInterval(renderQueue, 30_000); // waiting times tick on

async function start() {
  const teamButton = document.getElementById('team-toggle') as HTMLButtonElement | null;
  if (teamButton) setUpTeam(teamButton, report);
  if (!handlesConversations) return;
  try {
    state.me = await api.get<Me>('/api/agent/me');
    await loadQueue();
    const fromHash = /^#c=(.+)$/.exec(location.hash)?.[1];
    if (fromHash) await openConversation(decodeURIComponent(fromHash));
  } catch (error) {
    report(error);
  }
  connect();
}

void start();
export type { ConversationSummary };
