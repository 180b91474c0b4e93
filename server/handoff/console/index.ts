// The agent console in the browser: plain DOM, no framework. It fills the server-rendered shell from the
// agent JSON API and stays live over /api/agent/stream. Every piece of customer (or any stored) text is
// put on the page with textContent through el(): never as HTML. Every word comes from the strings table (t).
import { api, ApiError } from './api.js';
import { el, clear, timeAgo, clock } from './dom.js';
import type { AgentMessage, ConversationDetail, ConversationSummary, Me, QueueItem, KbHit } from './types.js';
import { Alerts } from './alerts.js';
import { setUpTeam } from './team.js';
import { t } from './i18n.js';
import { SeenMessages } from './unread.js';
import { setUpShortcuts, type ShortcutAction } from './shortcuts.js';
import { setUpTransfer } from './transfer.js';
import { fillPlaceholders } from '../placeholders.js';
import { setUpPresence } from './presence.js';
import { attachButton, renderAttachments } from './attachments.js';

// The page offers only what the role may do (the server enforces it anyway): editors get the knowledge base,
// no queue; agents and admins handle conversations; admins also manage the team.
const role = document.body.dataset.role ?? 'agent';
const handlesConversations = role === 'agent' || role === 'admin';

type View = 'mine' | 'unassigned' | 'open' | 'resolved';
const VIEWS: View[] = ['mine', 'unassigned', 'open', 'resolved'];
const PAGE = 25;

interface CannedReply {
  id: number;
  title: string;
  body: string;
  locale: string | null;
}

const state = {
  me: undefined as Me | undefined,
  /** every open conversation (queued and assigned): alerts, counts, unread */
  queue: [] as QueueItem[],
  /** what the chosen view and search list */
  list: [] as QueueItem[],
  nextOffset: null as number | null,
  view: 'open' as View,
  search: '',
  knownQueued: new Set<string>(),
  firstQueueLoad: true,
  openId: undefined as string | undefined,
  detail: undefined as ConversationDetail | undefined,
  mode: 'reply' as 'reply' | 'note',
  canned: [] as CannedReply[],
  seen: undefined as SeenMessages | undefined,
};

const root = document.getElementById('app')!;
const alerts = new Alerts(document.getElementById('alerts-toggle') as HTMLButtonElement | null);

// --- layout: inbox | conversation | customer

const queueCount = el('span', { className: 'count', title: t.waiting, id: 'waiting-count' }, '0');
const viewButtons = new Map<View, HTMLButtonElement>();
// the views are tabs over one list (and so never mistaken for the conversation's buttons, "Resolved" vs "Resolve")
const viewBar = el('div', { className: 'views', role: 'tablist', 'aria-label': t.viewsLabel });
for (const view of VIEWS) {
  const button = el('button', { type: 'button', role: 'tab', className: 'view', id: `view-${view}`, 'aria-controls': 'queue-list', 'aria-selected': String(view === state.view) }, t.views[view], el('span', { className: 'view-unread', 'data-view': view }));
  button.addEventListener('click', () => void chooseView(view));
  viewButtons.set(view, button);
  viewBar.append(button);
}
const searchInput = el('input', { type: 'search', id: 'inbox-search', placeholder: t.searchPlaceholder, 'aria-label': t.searchLabel, maxLength: 200 });
const queueList = el('ul', { className: 'queue-list', id: 'queue-list', 'aria-label': t.inbox });
const moreButton = el('button', { type: 'button', id: 'load-more', className: 'load-more', hidden: true }, t.loadMore);
const announcer = el('div', { className: 'visually-hidden', 'aria-live': 'polite', id: 'announcer' });
const queuePane = el('nav', { className: 'pane queue-pane', 'aria-label': t.inbox }, el('h2', {}, `${t.inbox} `, queueCount), viewBar, searchInput, queueList, moreButton, announcer);
const conversationPane = el('section', { className: 'pane conversation-pane', id: 'conversation', 'aria-label': t.conversation });
const customerPane = el('aside', { className: 'pane customer-pane', id: 'customer', 'aria-label': t.customer });
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
  if (claims?.name) return `${claims.name} (${t.unverified})`;
  const user = customer.identities.find((i) => i.kind === 'user');
  if (user) return t.siteUser(user.value);
  const visitor = customer.identities.find((i) => i.kind === 'web');
  return visitor ? t.webVisitor(visitor.value.slice(0, 8)) : t.unknownCustomer;
}

/** The name a canned reply calls the customer by: the name on record, else the one they typed. */
function customerName(detail: ConversationDetail): string | null {
  return detail.customer.name ?? detail.conversation.claims?.name ?? null;
}

function renderEmptyConversation() {
  clear(conversationPane);
  clear(customerPane);
  conversationPane.append(el('p', { className: 'empty' }, t.pickConversation));
}

// --- the inbox

function isUnread(item: QueueItem): boolean {
  return !!state.seen && item.id !== state.openId && state.seen.isUnread(item.id, item.lastCustomerSeq);
}

/** Unread conversations that are the agent's business: theirs and the unassigned ones. */
function renderUnreadCounts() {
  const mine = state.queue.filter((c) => c.status === 'assigned' && c.assignedAgent?.id === state.me?.id && isUnread(c)).length;
  const unassigned = state.queue.filter((c) => c.status === 'queued' && isUnread(c)).length;
  const counts: Record<View, number> = { mine, unassigned, open: state.queue.filter(isUnread).length, resolved: 0 };
  for (const [view, button] of viewButtons) {
    const badge = button.querySelector('.view-unread')!;
    badge.textContent = counts[view] ? ` ${counts[view]}` : '';
    button.setAttribute('aria-label', counts[view] ? `${t.views[view]}, ${counts[view]} ${t.unread}` : t.views[view]);
  }
  const total = mine + unassigned;
  document.title = `${total ? `(${total}) ` : ''}${t.pageTitle} · support-desk`;
}

function renderQueue() {
  clear(queueList);
  queueCount.textContent = String(state.queue.filter((c) => c.status === 'queued').length);
  if (state.list.length === 0) queueList.append(el('li', { className: 'empty' }, state.search ? t.nothingFound : state.view === 'open' || state.view === 'unassigned' ? t.nobodyWaiting : t.nothingHere));
  for (const item of state.list) {
    const customer = customerLabel(item.customer, item.claims);
    const holder =
      item.status === 'assigned' ? (item.assignedAgent?.id === state.me?.id ? t.withYou : t.withAgent(item.assignedAgent?.name ?? t.someone))
      : item.status === 'resolved' ? `${t.resolvedAt(timeAgo(item.resolvedAt, t.durations))}${item.rating ? ` · ${t.rated(item.rating)}` : ''}`
      : t.waitingFor(timeAgo(item.queuedAt, t.durations));
    const unread = isUnread(item);
    const button = el(
      'button',
      { type: 'button', className: `queue-item${unread ? ' unread' : ''}`, 'data-id': item.id, 'data-status': item.status, 'aria-current': item.id === state.openId ? 'true' : 'false' },
      el(
        'span',
        { className: 'queue-top' },
        el('span', { className: `channel channel-${item.channel}` }, t.channels[item.channel] ?? item.channel),
        el('strong', { className: 'customer-name' }, customer),
        unread ? el('span', { className: 'unread-dot', title: t.unread }, el('span', { className: 'visually-hidden' }, t.unread)) : null,
      ),
      el('span', { className: 'first-question' }, item.firstQuestion ?? t.noQuestionYet),
      el('span', { className: 'queue-meta' }, el('span', { className: 'reason' }, t.reasons[item.reason ?? ''] ?? item.reason ?? ''), el('span', { className: `holder status-${item.status}` }, holder)),
    );
    button.addEventListener('click', () => void openConversation(item.id));
    queueList.append(el('li', {}, button));
  }
  moreButton.hidden = state.nextOffset === null;
  renderUnreadCounts();
}

function inboxUrl(offset: number): string {
  const query = new URLSearchParams({ view: state.view, limit: String(PAGE), offset: String(offset) });
  if (state.search) query.set('q', state.search);
  return `/api/agent/inbox?${query}`;
}

/** The chosen view again from the start (at least as many lines as are shown, so "load more" survives a live update). */
async function loadList() {
  const view = state.view;
  const search = state.search;
  const shown = Math.max(PAGE, state.list.length);
  const items: QueueItem[] = [];
  let offset: number | null = 0;
  while (offset !== null && items.length < shown) {
    const page: { conversations: QueueItem[]; nextOffset: number | null } = await api.get(inboxUrl(offset));
    items.push(...page.conversations);
    offset = page.nextOffset;
  }
  if (view !== state.view || search !== state.search) return; // the agent moved on meanwhile
  state.list = items;
  state.nextOffset = offset;
  renderQueue();
}

moreButton.addEventListener('click', async () => {
  if (state.nextOffset === null) return;
  try {
    const page = await api.get<{ conversations: QueueItem[]; nextOffset: number | null }>(inboxUrl(state.nextOffset));
    state.list.push(...page.conversations.filter((c) => !state.list.some((known) => known.id === c.id)));
    state.nextOffset = page.nextOffset;
    renderQueue();
  } catch (error) {
    report(error);
  }
});

async function chooseView(view: View) {
  state.view = view;
  state.list = [];
  for (const [v, button] of viewButtons) button.setAttribute('aria-selected', String(v === view));
  await loadList().catch(report);
}

// Escape leaves the search field, so the single-key shortcuts work again
searchInput.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') searchInput.blur();
});

let searchTimer: ReturnType<typeof setTimeout> | undefined;
searchInput.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    state.search = searchInput.value.trim();
    state.list = [];
    void loadList().catch(report);
  }, 250);
});

async function loadQueue() {
  const { conversations } = await api.get<{ conversations: QueueItem[] }>('/api/agent/queue');
  state.queue = conversations;
  const newlyQueued = conversations.filter((c) => c.status === 'queued' && !state.knownQueued.has(c.id));
  for (const c of newlyQueued) state.knownQueued.add(c.id);
  if (!state.firstQueueLoad && newlyQueued.length) {
    const who = newlyQueued[0].customer.name ?? t.aCustomer;
    announcer.textContent = t.isWaiting(who, newlyQueued[0].firstQuestion ?? '');
    alerts.notify(t.newWaitingTitle, `${who}: ${newlyQueued[0].firstQuestion ?? ''}`);
  }
  state.firstQueueLoad = false;
  await loadList();
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

/** The open conversation's customer messages count as read (while the page is in view). */
function markOpenSeen() {
  if (!state.detail || !state.seen || document.visibilityState !== 'visible') return;
  const last = state.detail.messages.filter((m) => m.author === 'customer').at(-1);
  if (last) state.seen.markSeen(state.detail.conversation.id, last.seq);
}
document.addEventListener('visibilitychange', () => {
  markOpenSeen();
  renderQueue();
});

// focusable: a scrolling region must be reachable (and scrollable) from the keyboard
const transcript = el('ol', { className: 'transcript', id: 'transcript', 'aria-label': t.transcript, 'aria-live': 'polite', tabIndex: 0 });
const composerText = el('textarea', { id: 'composer-text', rows: 3, placeholder: t.replyPlaceholder, 'aria-label': t.reply });
const composerHint = el('p', { className: 'composer-hint', id: 'composer-hint' });
const sendButton = el('button', { type: 'submit', className: 'primary', id: 'send' }, t.send);
const replyTab = el('button', { type: 'button', className: 'tab', id: 'mode-reply', 'aria-pressed': 'true' }, t.reply);
const noteTab = el('button', { type: 'button', className: 'tab', id: 'mode-note', 'aria-pressed': 'false' }, t.internalNote);
const cannedSelect = el('select', { id: 'canned-select', 'aria-label': t.cannedReplies, className: 'canned-select' });
const kbToggle = el('button', { type: 'button', id: 'kb-toggle', 'aria-expanded': 'false', 'aria-controls': 'kb-panel' }, t.knowledgeBase);
// the customer side adds attachments and typing indicators here
const composerTools = el('div', { className: 'composer-tools', id: 'composer-tools' }, cannedSelect, kbToggle);
// issue 13: the agent sends the customer an image or PDF (stored and shown like a reply)
composerTools.append(attachButton(t.attachFile, t.attachFileHint, () => state.openId ?? undefined, (message) => appendMessage(message), (error) => report(error)));
const typingIndicator = el('p', { className: 'typing-indicator', id: 'typing-indicator', 'aria-live': 'polite' });
const composer = el(
  'form',
  { className: 'composer', id: 'composer' },
  el('div', { className: 'composer-top' }, el('div', { className: 'tabs' }, replyTab, noteTab), composerTools),
  composerText,
  el('div', { className: 'composer-row' }, composerHint, sendButton),
);
const kbInput = el('input', { type: 'search', id: 'kb-query', placeholder: t.kbPlaceholder, 'aria-label': t.kbLabel });
const kbResults = el('ul', { className: 'kb-results', id: 'kb-results' });
const kbForm = el('form', { className: 'kb-search', id: 'kb-search', role: 'search' }, kbInput, el('button', { type: 'submit' }, t.search));
const kbPanel = el('div', { className: 'kb-panel', id: 'kb-panel', hidden: true }, kbForm, kbResults);

kbToggle.addEventListener('click', () => {
  kbPanel.hidden = !kbPanel.hidden;
  kbToggle.setAttribute('aria-expanded', String(!kbPanel.hidden));
  if (!kbPanel.hidden) kbInput.focus();
  transcript.scrollTop = transcript.scrollHeight;
});

// editors: the knowledge base on its own, in the language they choose
let kbLocale: HTMLSelectElement | undefined;
if (!handlesConversations) {
  kbLocale = el('select', { id: 'kb-locale', 'aria-label': t.language }, el('option', { value: 'de' }, 'Deutsch'), el('option', { value: 'en' }, 'English'));
  kbForm.insertBefore(kbLocale, kbForm.lastChild);
  root.classList.add('layout-single');
  kbPanel.hidden = false;
  root.append(el('section', { className: 'pane kb-pane', id: 'kb-pane', 'aria-label': t.knowledgeBase }, el('h2', {}, t.knowledgeBase), kbForm, kbResults));
}

function setMode(mode: 'reply' | 'note') {
  state.mode = mode;
  replyTab.setAttribute('aria-pressed', String(mode === 'reply'));
  noteTab.setAttribute('aria-pressed', String(mode === 'note'));
  composer.classList.toggle('note-mode', mode === 'note');
  composerText.setAttribute('aria-label', mode === 'note' ? t.internalNote : t.reply);
  composerText.placeholder = mode === 'note' ? t.notePlaceholder : t.replyPlaceholder;
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
  sendButton.textContent = state.mode === 'note' ? t.addNote : t.send;
  composerHint.textContent = blocked ? t.claimToReply : state.mode === 'note' ? t.onlyAgentsSeeNotes : '';
  for (const button of kbResults.querySelectorAll<HTMLButtonElement>('.insert')) button.disabled = !canReply;
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

// --- canned replies: chosen from the list, filled in (as plain text) where the agent can still edit them

function renderCannedChoices() {
  clear(cannedSelect);
  const locale = state.detail?.conversation.locale.slice(0, 2);
  const usable = state.canned.filter((c) => !c.locale || c.locale === locale);
  cannedSelect.append(el('option', { value: '' }, usable.length ? t.cannedPick : t.cannedNone));
  for (const reply of usable) cannedSelect.append(el('option', { value: String(reply.id) }, reply.title));
  cannedSelect.disabled = usable.length === 0;
}

cannedSelect.addEventListener('change', () => {
  const reply = state.canned.find((c) => String(c.id) === cannedSelect.value);
  cannedSelect.value = '';
  if (!reply || !state.detail) return;
  const detail = state.detail;
  const identity = (kind: string) => detail.customer.identities.find((i) => i.kind === kind)?.value;
  const text = fillPlaceholders(reply.body, {
    'customer.name': customerName(detail),
    'customer.email': identity('email') ?? detail.conversation.claims?.email,
    'customer.phone': identity('phone') ?? detail.conversation.claims?.phone,
    'agent.name': state.me?.name,
  });
  setMode('reply');
  composerText.value = composerText.value.trim() ? `${composerText.value.trimEnd()}\n\n${text}` : text;
  composerText.focus();
});

async function loadCanned() {
  const { replies } = await api.get<{ replies: CannedReply[] }>('/api/agent/canned-replies');
  state.canned = replies;
  renderCannedChoices();
}

// --- the knowledge base: an article goes to the customer as a card, as the bot sends it

kbForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const q = kbInput.value.trim();
  if (!q) return;
  const locale = state.detail?.conversation.locale ?? kbLocale?.value ?? 'en';
  try {
    const { hits } = await api.get<{ hits: KbHit[] }>(`/api/agent/kb/search?q=${encodeURIComponent(q)}&locale=${encodeURIComponent(locale.slice(0, 2))}`);
    clear(kbResults);
    if (hits.length === 0) kbResults.append(el('li', { className: 'empty' }, t.noArticle));
    for (const hit of hits) {
      const article = el('div', {}, el('strong', {}, hit.title), el('p', {}, hit.summary), el('a', { href: hit.url, target: '_blank', rel: 'noopener noreferrer' }, hit.url));
      if (!handlesConversations) {
        kbResults.append(el('li', {}, article));
        continue;
      }
      const send = el('button', { type: 'button', className: 'insert', 'data-article': hit.id }, t.sendCard);
      send.addEventListener('click', async () => {
        if (!state.openId) return;
        send.disabled = true;
        try {
          const { message } = await api.post<{ message: AgentMessage }>(`/api/agent/conversations/${encodeURIComponent(state.openId)}/articles`, { articleId: hit.id });
          appendMessage(message);
        } catch (error) {
          report(error);
        } finally {
          updateComposer();
        }
      });
      kbResults.append(el('li', {}, article, send));
    }
    updateComposer();
  } catch (error) {
    report(error);
  }
});

// --- actions

async function act(action: 'claim' | 'hand-back' | 'resolve', button?: HTMLButtonElement) {
  if (!state.openId) return;
  if (action === 'resolve' && !confirm(t.confirmResolve)) return;
  if (button) button.disabled = true;
  try {
    await api.post(`/api/agent/conversations/${encodeURIComponent(state.openId)}/${action}`);
    await refreshOpen();
    reloadQueueSoon();
    if (action === 'claim') composerText.focus();
  } catch (error) {
    report(error);
    await refreshOpen().catch(() => {});
  } finally {
    if (button) button.disabled = false;
  }
}

function actionButton(label: string, id: string, action: 'claim' | 'hand-back' | 'resolve', className = '') {
  const button = el('button', { type: 'button', id, className }, label);
  button.addEventListener('click', () => void act(action, button));
  return button;
}

const transfer = setUpTransfer(() => {
  void refreshOpen().catch(report);
  reloadQueueSoon();
}, report);

function renderConversation(options: { keepComposer?: boolean } = {}) {
  const detail = state.detail;
  if (!detail) return renderEmptyConversation();
  const c = detail.conversation;
  clear(conversationPane);
  const name = customerLabel(detail.customer, detail.conversation.claims);
  const actions = el('div', { className: 'actions' });
  if (c.status === 'queued') actions.append(actionButton(t.claim, 'claim', 'claim', 'primary'));
  if (c.status === 'queued' || mine() || (c.status === 'assigned' && state.me?.role === 'admin')) {
    const transferButton = el('button', { type: 'button', id: 'transfer-open' }, t.transfer);
    transferButton.addEventListener('click', () => void transfer.open(c.id, c.assignedAgent?.id ?? null).catch(report));
    actions.append(transferButton);
  }
  if (c.status === 'queued' || mine()) actions.append(actionButton(t.handBack, 'hand-back', 'hand-back'), actionButton(t.resolve, 'resolve', 'resolve'));
  const statusText = c.status === 'assigned' ? t.assignedTo(c.assignedAgent?.id === state.me?.id ? t.you : (c.assignedAgent?.name ?? t.someone)) : t.statuses[c.status];
  conversationPane.append(
    el(
      'header',
      { className: 'conversation-header' },
      el('div', { className: 'conversation-title' }, el('h2', { id: 'conversation-title' }, name), el('p', { className: 'meta' }, `${t.channels[c.channel] ?? c.channel} · ${c.locale} · `, el('span', { id: 'conversation-status', className: `status-${c.status}` }, statusText))),
      actions,
    ),
  );
  if (detail.escalation) {
    // folded by default: one line says why; the details (what the bot offered) open on demand
    const e = detail.escalation;
    const box = el('details', { className: 'escalation', id: 'escalation' }, el('summary', {}, el('strong', {}, t.handedOver(t.reasons[e.reason] ?? e.reason)), e.offline ? el('span', { className: 'badge' }, t.outsideHours) : ''));
    if (e.offered.length) {
      box.append(el('p', {}, t.botOffered), el('ul', {}, ...e.offered.map((a) => {
        const verdict = e.feedback.find((f) => f.articleId === a.id);
        return el('li', {}, a.url ? el('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer' }, a.title) : a.title, verdict ? el('span', { className: verdict.helpful ? 'helpful' : 'not-helpful' }, verdict.helpful ? t.helped : t.didNotHelp) : '');
      })));
    } else {
      box.append(el('p', {}, t.botOfferedNothing));
    }
    conversationPane.append(box);
  }
  if (c.callbackContact) conversationPane.append(el('p', { className: 'callback' }, t.answerAt, el('strong', {}, c.callbackContact), t.typedByCustomer));
  clear(transcript);
  for (const message of detail.messages) transcript.append(renderMessage(message));
  if (!options.keepComposer) {
    composerText.value = '';
    clear(kbResults);
    typingIndicator.textContent = '';
  }
  conversationPane.append(transcript);
  if (c.status !== 'resolved' && c.status !== 'bot') {
    conversationPane.append(typingIndicator, composer, kbPanel);
    renderCannedChoices();
  } else {
    const rating = c.rating ? `${t.rated(c.rating)}${c.ratingComment ? `: “${c.ratingComment}”` : ''}` : t.noRatingYet;
    conversationPane.append(el('p', { className: 'closed-note', id: 'closed-note' }, c.status === 'resolved' ? `${t.resolvedNote} · ${rating}` : t.botHandling));
  }
  updateComposer();
  transcript.scrollTop = transcript.scrollHeight;
  markOpenSeen();
  renderQueue();
  renderCustomer(detail);
}

function renderMessage(m: AgentMessage): HTMLElement {
  const who = m.transfer
    ? t.transferredBy(m.agentName ?? t.who.agent, m.transfer.toName)
    : m.internal
      ? (m.escalation ? t.who.handedOver : m.author === 'system' ? t.who.record : t.noteBy(m.agentName ?? t.who.agent))
      : m.author === 'agent' ? (m.agentName ?? t.who.agent) : (t.who[m.author] ?? m.author);
  const item = el('li', { className: `message author-${m.author}${m.internal ? ' internal' : ''}${m.transfer ? ' transfer' : ''}`, 'data-seq': String(m.seq) }, el('div', { className: 'message-head' }, el('span', { className: 'who' }, who), el('time', { dateTime: m.createdAt }, clock(m.createdAt))));
  item.append(el('p', { className: 'text' }, m.escalation ? (t.reasons[m.escalation.reason] ?? m.escalation.reason) : m.text));
  if (m.articles?.length) {
    item.append(el('ul', { className: 'articles' }, ...m.articles.map((a) => el('li', {}, a.url ? el('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer' }, a.title) : a.title))));
  }
  const files = renderAttachments(m.attachments);
  if (files) item.append(files);
  if (m.media?.length) {
    item.append(el('ul', { className: 'media' }, ...m.media.map((media) => el('li', {}, el('a', { href: media.url, target: '_blank', rel: 'noopener noreferrer' }, media.contentType || t.attachment)))));
  }
  const tags: string[] = [];
  if (m.decision) tags.push(t.decision(m.decision));
  if (m.feedback) tags.push(m.feedback === 'helpful' ? t.saidHelped : t.saidNotHelped);
  else if (m.action) tags.push(t.pressed(m.action));
  if (m.deliveryState) tags.push((m.deliveredBy === 'email' ? t.emailDelivery : t.delivery)(m.deliveryState, m.deliveryError ?? ''));
  if (m.input) tags.push(m.input.kind === 'speech' ? t.spoken(m.input.confidence !== undefined ? `${Math.round(m.input.confidence * 100)}%` : '') : t.keypad);
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
  markOpenSeen();
}

function renderCustomer(detail: ConversationDetail) {
  clear(customerPane);
  customerPane.append(el('h2', {}, t.customer), el('p', { className: 'customer-name' }, detail.customer.name ?? t.noName));
  const claims = detail.conversation.claims;
  const pageUrl = detail.conversation.pageUrl;
  if (claims || pageUrl) {
    // typed by whoever started the chat (or reported by their browser): never proof of who they are
    const given: Array<[string, string | null]> = claims ? [[t.name, claims.name], [t.email, claims.email], [t.phone, claims.phone]] : [];
    customerPane.append(el('h3', {}, t.claimsHeading));
    if (claims) customerPane.append(el('dl', { className: 'identities claims', id: 'claims' }, ...given.filter(([, value]) => value).flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, `${value} (${t.unverified})`)])));
    if (pageUrl) {
      customerPane.append(el('dl', { className: 'identities page-url', id: 'page-url' }, el('dt', {}, t.wroteFrom), el('dd', {}, el('a', { href: pageUrl, target: '_blank', rel: 'noopener noreferrer nofollow' }, pageUrl))));
    }
  }
  customerPane.append(el('h3', {}, t.identitiesHeading));
  if (detail.customer.identities.length === 0) customerPane.append(el('p', { className: 'empty' }, t.noIdentities));
  else customerPane.append(el('dl', { className: 'identities', id: 'identities' }, ...detail.customer.identities.flatMap((i) => [el('dt', {}, t.identityLabels[i.kind] ?? i.kind), el('dd', {}, i.value)])));
  customerPane.append(el('h3', {}, t.otherConversations));
  if (detail.otherConversations.length === 0) customerPane.append(el('p', { className: 'empty' }, t.none));
  const list = el('ul', { className: 'history', id: 'history' });
  for (const other of detail.otherConversations) {
    const open = el('button', { type: 'button', className: 'history-item' }, el('span', { className: `channel channel-${other.channel}` }, t.channels[other.channel] ?? other.channel), el('span', {}, ` ${new Date(other.createdAt).toLocaleDateString()} · ${t.statuses[other.status]}`), el('span', { className: 'first-question' }, other.firstQuestion ?? t.noQuestion));
    open.addEventListener('click', () => void openConversation(other.id));
    list.append(el('li', {}, open));
  }
  customerPane.append(list);
}

// --- keyboard

function runShortcut(action: ShortcutAction) {
  if (!handlesConversations) return;
  if (action === 'next' || action === 'previous') {
    if (state.list.length === 0) return;
    const at = state.list.findIndex((c) => c.id === state.openId);
    const next = at < 0 ? 0 : Math.min(state.list.length - 1, Math.max(0, at + (action === 'next' ? 1 : -1)));
    void openConversation(state.list[next].id).then(() => queueList.querySelector<HTMLButtonElement>(`[aria-current='true']`)?.scrollIntoView({ block: 'nearest' }));
  } else if (action === 'claim') {
    if (state.detail?.conversation.status === 'queued') void act('claim');
  } else if (action === 'resolve') {
    const c = state.detail?.conversation;
    if (c && (c.status === 'queued' || mine())) void act('resolve');
  } else if (action === 'reply') {
    if (composer.isConnected) composerText.focus();
  } else if (action === 'search') {
    searchInput.focus();
  }
}
setUpShortcuts(runShortcut, document.getElementById('shortcuts-toggle') as HTMLButtonElement | null);

// --- the console language, the agent's choice

document.getElementById('console-locale')?.addEventListener('change', async (event) => {
  const locale = (event.target as HTMLSelectElement).value;
  try {
    await api.patch('/api/agent/me', { locale });
    location.reload();
  } catch (error) {
    report(error);
  }
});

// --- live updates

interface StreamEvent {
  type: 'hello' | 'status' | 'message' | 'delivery' | 'rating' | 'typing';
  conversationId: string;
  status?: string;
  message?: AgentMessage;
}

// Typing both ways: the customer's signal shows for a few seconds; the agent's reply typing is sent at most every 2 s.
let typingTimer: ReturnType<typeof setTimeout> | undefined;
function showCustomerTyping() {
  typingIndicator.textContent = t.customerTyping;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(hideCustomerTyping, 5_000);
}
function hideCustomerTyping() {
  clearTimeout(typingTimer);
  typingIndicator.textContent = '';
}
let lastTypingSent = 0;
composerText.addEventListener('input', () => {
  if (state.mode !== 'reply' || !state.openId || liveSocket?.readyState !== WebSocket.OPEN || Date.now() - lastTypingSent < 2_000) return;
  lastTypingSent = Date.now();
  liveSocket.send(JSON.stringify({ type: 'typing', conversationId: state.openId }));
});

/** A customer wrote: the line of that conversation is unread unless the agent has it open. */
function noteCustomerMessage(conversationId: string, seq: number) {
  for (const item of [...state.queue, ...state.list]) if (item.id === conversationId) item.lastCustomerSeq = Math.max(item.lastCustomerSeq, seq);
  if (conversationId === state.openId) markOpenSeen();
  renderQueue();
}

let retry = 0;
/** the open stream, for the presence control's activity pings */
let liveSocket: WebSocket | undefined;
let loggingOut = false;
document.querySelector('form.logout')?.addEventListener('submit', () => {
  loggingOut = true;
});

function connect() {
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/agent/stream`);
  liveSocket = socket;
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
    } else if (data.type === 'delivery' || data.type === 'rating') {
      // an SMS was sent, delivered or failed; a resolved conversation was rated: the open one shows it
      if (data.conversationId === state.openId) void refreshOpen().catch(report);
      if (data.type === 'rating') reloadQueueSoon();
    } else if (data.type === 'typing') {
      if (data.conversationId === state.openId) showCustomerTyping();
    } else if (data.type === 'message' && data.message) {
      if (data.conversationId === state.openId) appendMessage(data.message);
      if (data.conversationId === state.openId && data.message.author === 'customer') hideCustomerTyping();
      if (data.message.author === 'customer') {
        noteCustomerMessage(data.conversationId, data.message.seq);
        if (!state.queue.find((c) => c.id === data.conversationId)?.firstQuestion) reloadQueueSoon();
      }
      const handed = data.message.transfer;
      if (handed && handed.toAgentId === state.me?.id) {
        announcer.textContent = t.transferredToYou(data.message.agentName ?? t.someone, state.queue.find((c) => c.id === data.conversationId)?.customer.name ?? t.aCustomer);
        alerts.notify(t.transferredToYou(data.message.agentName ?? t.someone, ''), data.message.text);
      }
    }
  });
  socket.addEventListener('close', (event) => {
    document.body.dataset.live = 'false';
    // our own logout ends the session too: going to the login page then would cancel the logout's answer,
    // and with it the Set-Cookie that clears the session cookie
    if (event.code === 4401) return loggingOut ? undefined : location.assign('/agent/login');
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
  setUpPresence(() => liveSocket, report);
  try {
    state.me = await api.get<Me>('/api/agent/me');
    state.seen = new SeenMessages(state.me.id);
    await Promise.all([loadQueue(), loadCanned()]);
    const fromHash = /^#c=(.+)$/.exec(location.hash)?.[1];
    if (fromHash) await openConversation(decodeURIComponent(fromHash));
  } catch (error) {
    report(error);
  }
  connect();
}

// a link to a conversation (#c=<id>) opens it, also when the console is already open
window.addEventListener('hashchange', () => {
  const id = /^#c=(.+)$/.exec(location.hash)?.[1];
  if (id && handlesConversations && decodeURIComponent(id) !== state.openId) void openConversation(decodeURIComponent(id));
});

void start();
export type { ConversationSummary };
