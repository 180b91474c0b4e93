// The chat widget: a launcher and a panel in a shadow root, talking to the web chat API.
// Messages are placed by their server seq; the customer's own message shows at once and is matched
// with its stored copy when that arrives (socket, poll or history), so nothing shows twice.
import { ApiError, ChatApi, type ChatMessage, type Choice, type ConversationStatus, type LiveEvent, type Session } from './api.js';
import { takeResumeLink } from './resume-link.js';
import { h, icon, ICONS, linkified, safeUrl } from './dom.js';
import type { Locale, Strings } from './i18n.js';
import { LiveUpdates } from './live.js';
import { ratingForm } from './rating.js';
import { ACCEPT, attachmentList } from './attachments.js';
import { SavedState } from './saved.js';
import { stylesheet } from './styles.js';

export interface WidgetOptions {
  /** where the chat API lives: the directory widget.js was loaded from */
  apiBase: string;
  locale: Locale;
  strings: Strings;
  title?: string;
  accent: string;
  position: 'left' | 'right';
  /** the host site's signed-in user (data-user-id, data-user-hash): links the chat to that user's record */
  user?: { id: string; hash: string };
}

/** A customer message shown before the server confirmed it. */
interface OwnMessage {
  element: HTMLElement;
  text: string;
  state: 'sending' | 'sent' | 'failed';
  /** what was sent, for the one automatic resend when the chat is reachable again */
  outgoing?: Outgoing;
  autoResent?: boolean;
}

/** What is sent; the client message id is made once per message and sent again on every retry, so the server stores it once. */
type Outgoing = ({ text: string } | { action: string }) & { clientMessageId: string };

/** A random id for one message. crypto.randomUUID exists only in secure contexts (https, localhost); a plain-http host page gets one from getRandomValues. */
function newMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const FULL_SCREEN = '(max-width: 480px)';

export class ChatWidget {
  private readonly api: ChatApi;
  private readonly saved: SavedState;
  private readonly t: Strings;
  private session: Session | undefined;
  private status: ConversationStatus = 'bot';
  private rated = false;
  private agentName: string | undefined;
  private readonly shown = new Map<number, HTMLElement>();
  private lastSeq = 0;
  private unconfirmed: OwnMessage[] = [];
  private waiting = 0;
  private unread = 0;
  private isOpen = false;
  private mounted = false;
  private openWhenMounted = false;
  private live: LiveUpdates | undefined;
  private starting: Promise<Session> | undefined;
  private sending: Promise<void> = Promise.resolve();

  private shadow!: ShadowRoot;
  private frame!: HTMLElement;
  private launcher!: HTMLButtonElement;
  private badge!: HTMLElement;
  private panel!: HTMLElement;
  private subtitle!: HTMLElement;
  private notice!: HTMLElement;
  private body!: HTMLElement;
  private log!: HTMLElement;
  private typing!: HTMLElement;
  private typingLabel!: HTMLElement;
  private agentTypingUntil = 0;
  private lastTypingSent = 0;
  private ratingSlot!: HTMLElement;
  private input!: HTMLTextAreaElement;

  constructor(private readonly options: WidgetOptions) {
    this.api = new ChatApi(options.apiBase);
    this.saved = new SavedState(options.apiBase);
    this.t = options.strings;
  }

  mount(page: HTMLElement): void {
    const host = document.createElement('div');
    host.setAttribute('data-supportdesk', '');
    this.shadow = host.attachShadow({ mode: 'open' });
    this.adoptStyles(stylesheet(this.options.accent));
    this.shadow.append(this.build());
    page.appendChild(host);
    this.mounted = true;
    document.addEventListener('click', (event) => {
      const trigger = (event.target as Element | null)?.closest?.('[data-supportdesk-open]');
      if (!trigger) return;
      event.preventDefault();
      this.open();
    });
    const restoring = this.restore();
    // a link like https://shop.example/?chat=open (the help center's fallback link) opens the chat
    if (this.openWhenMounted || new URLSearchParams(location.search).get('chat') === 'open') restoring.then(() => this.open());
  }

  open({ focus = true }: { focus?: boolean } = {}): void {
    if (!this.mounted) {
      this.openWhenMounted = true;
      return;
    }
    if (!this.isOpen) {
      this.isOpen = true;
      this.panel.hidden = false;
      this.frame.classList.add('is-open');
      this.unread = 0;
      this.updateLauncher();
      this.saved.update({ open: true });
      if (!this.session) this.ensureConversation().catch((error) => this.showProblem(error));
      this.scrollToEnd();
    }
    if (focus) this.input.focus();
  }

  close(): void {
    if (!this.mounted || !this.isOpen) return;
    const focusWasInside = this.panel.contains(this.shadow.activeElement);
    this.isOpen = false;
    this.panel.hidden = true;
    this.frame.classList.remove('is-open');
    this.updateLauncher();
    this.saved.update({ open: false });
    if (focusWasInside) this.launcher.focus();
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  // ---- building the DOM -------------------------------------------------------------------

  /** Constructed stylesheets are not subject to the host page's CSP style-src; <style> is the fallback. */
  private adoptStyles(css: string): void {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      this.shadow.adoptedStyleSheets = [sheet];
    } catch {
      this.shadow.append(h('style', {}, css));
    }
  }

  private build(): HTMLElement {
    const t = this.t;
    this.badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
    const openIcon = icon(...ICONS.chat);
    openIcon.classList.add('when-closed');
    const closeIcon = icon(...ICONS.chevronDown);
    closeIcon.classList.add('when-open');
    this.launcher = h('button', { type: 'button', class: 'launcher', 'aria-controls': 'sd-panel', 'aria-expanded': 'false', onclick: () => this.toggle() }, openIcon, closeIcon, this.badge);

    this.subtitle = h('p', { class: 'subtitle', id: 'sd-subtitle' }, t.subtitleBot);
    this.notice = h('p', { class: 'notice', role: 'status', hidden: true });
    this.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': t.messages });
    this.typingLabel = h('span', { class: 'sr' }, t.typing);
    this.typing = h('div', { class: 'typing', role: 'status', hidden: true }, h('span', { 'aria-hidden': 'true' }), h('span', { 'aria-hidden': 'true' }), h('span', { 'aria-hidden': 'true' }), this.typingLabel);
    this.ratingSlot = h('div', {});
    // focusable so the history scrolls by keyboard even when it holds no link or button
    this.body = h('section', { class: 'body', tabindex: '0', 'aria-label': t.conversation }, this.log, this.typing, this.ratingSlot);
    this.input = h('textarea', {
      id: 'sd-input',
      rows: 1,
      placeholder: t.placeholder,
      maxlength: 2000,
      oninput: () => {
        this.fitInput();
        this.signalTyping();
      },
      onkeydown: (event: Event) => {
        const key = event as KeyboardEvent;
        if (key.key === 'Enter' && !key.shiftKey && !key.isComposing) {
          key.preventDefault();
          this.sendTyped();
        }
      },
    });
    const composer = h(
      'form',
      { class: 'composer', onsubmit: (event: Event) => (event.preventDefault(), this.sendTyped()) },
      h('label', { class: 'sr', for: 'sd-input' }, t.inputLabel),
      this.attachControls(),
      this.input,
      h('button', { type: 'submit', class: 'send', 'aria-label': t.send, title: t.send }, icon(...ICONS.send)),
    );

    this.panel = h(
      'div',
      { class: 'panel', id: 'sd-panel', role: 'dialog', 'aria-labelledby': 'sd-title', 'aria-describedby': 'sd-subtitle', hidden: true },
      h(
        'div',
        { class: 'head' },
        h('span', { class: 'avatar' }, icon(...ICONS.chat)),
        h('div', { class: 'head-text' }, h('h2', { class: 'title', id: 'sd-title' }, this.options.title || t.title), this.subtitle),
        h('button', { type: 'button', class: 'close', 'aria-label': t.closeChat, title: t.closeChat, onclick: () => this.close() }, icon(...ICONS.close)),
      ),
      this.notice,
      this.body,
      composer,
    );
    this.frame = h('div', { class: `frame ${this.options.position}`, lang: this.options.locale }, this.panel, this.launcher);
    this.frame.addEventListener('keydown', (event) => this.onKey(event));
    this.updateLauncher();
    return this.frame;
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.isOpen) {
      event.stopPropagation();
      this.close();
      return;
    }
    // Full screen on a phone the page behind is covered: keep Tab inside the panel.
    if (event.key === 'Tab' && this.isOpen && matchMedia(FULL_SCREEN).matches) {
      const focusable = [...this.panel.querySelectorAll<HTMLElement>('button, a[href], textarea, input, [tabindex="0"]')].filter((el) => el.getClientRects().length > 0 && !(el as HTMLButtonElement).disabled);
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      const active = this.shadow.activeElement;
      if (event.shiftKey && active === first) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first?.focus();
      }
    }
  }

  private updateLauncher(): void {
    const label = this.isOpen ? this.t.closeChat : this.unread ? `${this.t.openChat} (${this.t.unread(this.unread)})` : this.t.openChat;
    this.launcher.setAttribute('aria-label', label);
    this.launcher.setAttribute('aria-expanded', String(this.isOpen));
    this.badge.textContent = String(this.unread);
    this.badge.hidden = this.isOpen || this.unread === 0;
  }

  private fitInput(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  // ---- conversation lifecycle -------------------------------------------------------------

  private async restore(): Promise<void> {
    // issue 13 (email): a reply e-mail's link reopens its conversation here
    const linked = takeResumeLink();
    if (linked) this.saved.saveConversation({ ...linked, open: true, userId: this.options.user?.id });
    const saved = this.saved.conversation();
    if (!saved) return;
    // another user signed in on this browser (or signed out): their conversation is not this user's to see
    if ((saved.userId ?? undefined) !== this.options.user?.id) {
      this.saved.saveConversation(undefined);
      return;
    }
    this.session = { conversationId: saved.conversationId, token: saved.token };
    this.rated = Boolean(saved.rated);
    if (saved.open) this.open({ focus: false });
    try {
      const { status, messages } = await this.api.messagesAfter(this.session, 0);
      this.showAll(messages, false);
      this.setStatus(status);
      this.connectLive();
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) {
        // the conversation is gone or the token no longer valid: start afresh when the customer opens the chat
        this.forget();
        // an e-mail's link that no longer opens its conversation says so above the new one
        if (error.status === 410) this.showLinkEnded(this.t.linkExpired);
        else if (linked) this.showLinkEnded(this.t.linkInvalid);
        if (this.isOpen) this.ensureConversation().catch((problem) => this.showProblem(problem));
      } else {
        this.showProblem(error);
        this.connectLive();
      }
    }
  }

  private ensureConversation(): Promise<Session> {
    if (this.session) return Promise.resolve(this.session);
    this.starting ??= (async () => {
      try {
        const visitorId = this.saved.visitorId();
        const user = this.options.user;
        const started = await this.api.start({ locale: this.options.locale, ...(visitorId ? { visitorId } : {}), ...(user ? { user } : {}) });
        if (started.visitorId) this.saved.saveVisitorId(started.visitorId);
        this.session = { conversationId: started.conversationId, token: started.token };
        this.rated = false;
        this.saved.saveConversation({ ...this.session, open: this.isOpen, ...(user ? { userId: user.id } : {}) });
        this.showProblem(undefined);
        this.showAll(started.messages ?? [], false);
        this.setStatus(started.status ?? 'bot');
        this.connectLive();
        return this.session;
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  /**
   * Drops the current conversation (resolved, or no longer valid) and clears the panel. After a resolve the
   * transcript stays above the new one, read-only, under "Earlier conversation" (until the page is left).
   */
  private forget(keepTranscript = false): void {
    const earlier = keepTranscript ? this.earlierTranscript() : null;
    this.live?.stop();
    this.live = undefined;
    this.session = undefined;
    this.saved.saveConversation(undefined);
    this.shown.clear();
    this.lastSeq = 0;
    this.unconfirmed = [];
    this.agentName = undefined;
    this.log.replaceChildren(...(earlier ? [earlier] : []));
    this.setStatus('bot');
  }

  /** Why the e-mail's link did not open its conversation, as a note above the new conversation (after forget()). */
  private showLinkEnded(text: string): void {
    const note = h('div', { class: 'msg system', role: 'status' }, h('p', { class: 'note' }, text));
    note.dataset.key = '-1';
    this.log.prepend(note);
  }

  /** The log's messages moved into one read-only block (earlier blocks stay first); null when there is nothing to keep. */
  private earlierTranscript(): HTMLElement | null {
    const messages = [...this.log.children].filter((child) => !child.classList.contains('earlier'));
    if (!messages.some((child) => child.classList.contains('msg') && !child.classList.contains('pending'))) return null;
    const block = this.log.querySelector<HTMLElement>(':scope > .earlier') ?? h('div', { class: 'earlier', role: 'group', 'aria-label': this.t.earlier }, h('p', { class: 'divider' }, this.t.earlier));
    block.dataset.key = '-1';
    // read-only: its quick replies and retries belong to a closed conversation (cards still expand)
    for (const message of messages) {
      message.querySelectorAll('.choices, .fail').forEach((control) => control.remove());
      block.append(message);
    }
    return block;
  }

  private connectLive(): void {
    if (this.live || !this.session) return;
    const session = this.session;
    this.live = new LiveUpdates({
      url: () => this.api.streamUrl(session, this.lastSeq),
      catchUp: () => this.catchUp(session),
      onEvent: (event) => this.onLiveEvent(session, event),
      onConnected: (connected) => {
        if (connected) this.reachableAgain(session);
      },
    });
    this.live.start();
  }

  private async catchUp(session: Session): Promise<void> {
    try {
      const { status, messages } = await this.api.messagesAfter(session, this.lastSeq);
      if (session !== this.session) return;
      this.showProblem(undefined);
      this.showAll(messages, true);
      this.setStatus(status);
    } catch (error) {
      if (session !== this.session) throw error;
      if (error instanceof ApiError && (error.status === 401 || error.status === 404 || error.status === 410)) {
        // the conversation is gone (deleted, or the token no longer valid, or the e-mail's link expired): start afresh
        this.forget();
        if (error.status === 410) this.showLinkEnded(this.t.linkExpired);
        if (this.isOpen) this.ensureConversation().catch((problem) => this.showProblem(problem));
      } else {
        this.showProblem(error);
      }
      throw error;
    }
  }

  private onLiveEvent(session: Session, event: LiveEvent): void {
    if (session !== this.session) return;
    if (event.type === 'message' && event.message) {
      if (event.message.author === 'agent') this.agentTypingUntil = 0;
      this.showAll([event.message], true);
    } else if (event.type === 'status' && event.status) this.setStatus(event.status);
    else if (event.type === 'typing') {
      this.agentTypingUntil = Date.now() + 5_000;
      this.typingLabel.textContent = this.t.agentTyping(event.name || this.agentName || this.t.team);
      this.updateTyping();
      setTimeout(() => this.updateTyping(), 5_050);
    }
  }

  private setStatus(status: ConversationStatus): void {
    this.status = status;
    if (status === 'bot' || status === 'queued') this.agentName = undefined;
    const t = this.t;
    this.subtitle.textContent =
      status === 'queued' ? t.subtitleQueued : status === 'assigned' ? (this.agentName ? t.subtitleAssigned(this.agentName) : t.subtitleAssignedTeam) : status === 'resolved' ? t.subtitleResolved : t.subtitleBot;
    this.input.placeholder = status === 'resolved' ? t.placeholderResolved : t.placeholder;
    if (status === 'resolved' && !this.rated && this.session) {
      if (!this.ratingSlot.firstChild) this.ratingSlot.append(ratingForm(t, 'sd-rating', (stars, comment) => this.rate(stars, comment)));
    } else if (status !== 'resolved') {
      this.ratingSlot.replaceChildren();
    }
    this.updateTyping();
  }

  private async rate(stars: number, comment: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      await this.api.rate(session, stars, comment);
    } catch (error) {
      // rated already (in another tab): nothing left to do
      if (!(error instanceof ApiError && error.status === 409)) throw error;
    }
    this.rated = true;
    this.saved.update({ rated: true });
  }

  private showProblem(error: unknown): void {
    if (error === undefined) {
      this.notice.hidden = true;
      return;
    }
    this.notice.textContent = this.problemText(error);
    this.notice.hidden = false;
  }

  private problemText(error: unknown): string {
    if (error instanceof ApiError) {
      if (error.status === 429) return this.t.tooFast;
      if (error.status === 413) return this.t.tooLong;
    }
    return this.t.unreachable;
  }

  // ---- sending ----------------------------------------------------------------------------

  private sendTyped(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.fitInput();
    this.submit({ text, clientMessageId: newMessageId() }, text);
  }

  private choose(choice: Choice): void {
    this.submit({ action: choice.action, clientMessageId: newMessageId() }, choice.label);
    this.input.focus();
  }

  private submit(outgoing: Outgoing, shownText: string): void {
    // A message after "resolved" opens a new conversation for the same visitor.
    if (this.status === 'resolved') this.forget(true);
    const own: OwnMessage = { element: this.ownMessageElement(shownText), text: shownText, state: 'sending' };
    this.unconfirmed.push(own);
    this.place(own.element, Infinity);
    this.refreshChoices();
    this.scrollToEnd();
    this.sending = this.sending.then(() => this.deliver(own, outgoing));
  }

  private async deliver(own: OwnMessage, outgoing: Outgoing, afterConflict = false): Promise<void> {
    this.waiting++;
    this.updateTyping();
    try {
      const session = await this.ensureConversation();
      const { received, messages } = await this.api.send(session, outgoing);
      if (session !== this.session) return;
      own.state = 'sent';
      this.showAll(received ? [received, ...messages] : messages, true);
      this.showProblem(undefined);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && !afterConflict) {
        // closed meanwhile (the resolve event was missed): the message opens a new conversation
        this.forget(true);
        this.unconfirmed.push(own);
        this.place(own.element, Infinity);
        return this.deliver(own, outgoing, true);
      }
      // it stays unconfirmed: the server may have stored it after all (the answer was lost), and then
      // its stored copy arrives over the socket and takes this element's place
      own.state = 'failed';
      this.markFailed(own, outgoing, error);
    } finally {
      this.waiting--;
      this.updateTyping();
    }
  }

  /**
   * The socket is back: the "not reachable" notice goes, what was missed is fetched, and messages that failed
   * are sent again, once each by themselves (same client message id: the server stores each once).
   */
  private reachableAgain(session: Session): void {
    this.showProblem(undefined);
    void this.catchUp(session).catch(() => {});
    for (const own of this.unconfirmed) {
      if (own.state !== 'failed' || own.autoResent || !own.outgoing) continue;
      own.autoResent = true;
      this.resend(own, own.outgoing);
    }
  }

  private resend(own: OwnMessage, outgoing: Outgoing): void {
    own.element.querySelector('.fail')?.remove();
    own.element.classList.remove('failed');
    own.element.classList.add('pending');
    own.state = 'sending';
    if (!this.unconfirmed.includes(own)) this.unconfirmed.push(own);
    this.sending = this.sending.then(() => this.deliver(own, outgoing));
  }

  private markFailed(own: OwnMessage, outgoing: Outgoing, error: unknown): void {
    own.outgoing = outgoing;
    own.element.classList.remove('pending');
    own.element.classList.add('failed');
    const retry = h('button', { type: 'button' }, this.t.retry);
    const problem = h('p', { class: 'fail', role: 'alert' }, `${this.t.notSent} ${this.problemText(error)}`, retry);
    retry.addEventListener('click', () => {
      this.resend(own, outgoing);
      this.input.focus();
    });
    own.element.append(problem);
  }

  /** While a person has the conversation (or it waits for one), they see that the customer is typing; at most every 2 s. */
  private signalTyping(): void {
    if ((this.status !== 'assigned' && this.status !== 'queued') || Date.now() - this.lastTypingSent < 2_000) return;
    this.lastTypingSent = Date.now();
    this.live?.send({ type: 'typing' });
  }

  private updateTyping(): void {
    const botWorking = this.waiting > 0 && this.status === 'bot';
    if (botWorking) this.typingLabel.textContent = this.t.typing;
    this.typing.hidden = !(botWorking || (this.agentTypingUntil > Date.now() && this.status === 'assigned'));
    if (!this.typing.hidden) this.scrollToEnd();
  }

  // ---- showing messages -------------------------------------------------------------------

  private showAll(messages: ChatMessage[], live: boolean): void {
    const sorted = [...messages].sort((a, b) => a.seq - b.seq);
    let added = false;
    for (const message of sorted) added = this.show(message, live) || added;
    if (!added) return;
    this.refreshChoices();
    this.updateLauncher();
    this.scrollToEnd();
  }

  private show(message: ChatMessage, live: boolean): boolean {
    if (typeof message?.seq !== 'number' || message.internal || this.shown.has(message.seq)) return false;
    let element: HTMLElement | undefined;
    if (message.author === 'customer') {
      const own = this.unconfirmed.find((entry) => entry.text === message.text) ?? this.unconfirmed.find((entry) => entry.state !== 'failed');
      if (own) {
        this.unconfirmed = this.unconfirmed.filter((entry) => entry !== own);
        own.element.classList.remove('pending', 'failed');
        own.element.querySelector('.fail')?.remove();
        own.state = 'sent';
        element = own.element;
        const bubble = element.querySelector('.bubble');
        if (bubble && own.text !== message.text) bubble.replaceChildren(linkified(message.text, this.options.apiBase));
        // the stored time, as a reload would show it
        const time = this.timeOf(message.createdAt);
        if (time) element.querySelector('.time')?.replaceWith(time);
      }
    }
    element ??= this.messageElement(message);
    this.shown.set(message.seq, element);
    this.lastSeq = Math.max(this.lastSeq, message.seq);
    this.place(element, message.seq);
    if (message.author === 'agent' && message.agentName) {
      this.agentName = message.agentName;
      if (this.status === 'assigned') this.setStatus('assigned');
    }
    // unread: what a person or the bot wrote while the panel was closed (not status notes)
    if (live && !this.isOpen && (message.author === 'agent' || message.author === 'bot')) this.unread++;
    return true;
  }

  /** Inserts or moves a message element so the log stays ordered by seq (unconfirmed own messages last). */
  private place(element: HTMLElement, key: number): void {
    element.dataset.key = String(key);
    let before: Element | null = null;
    for (let child = this.log.lastElementChild; child; child = child.previousElementSibling) {
      if (child === element) continue;
      if (Number((child as HTMLElement).dataset.key) <= key) break;
      before = child;
    }
    if (element.nextElementSibling === before && element.parentNode === this.log) return;
    this.log.insertBefore(element, before);
  }

  private ownMessageElement(text: string, createdAt?: string): HTMLElement {
    return h('div', { class: 'msg customer pending' }, h('span', { class: 'sr' }, `${this.t.you}: `), h('div', { class: 'bubble' }, linkified(text, this.options.apiBase)), this.timeOf(createdAt));
  }

  /** HH:MM in the widget's language, from the server's createdAt (now for a message not yet stored). */
  private timeOf(createdAt: string | undefined): HTMLElement | null {
    const when = createdAt ? new Date(createdAt) : new Date();
    if (Number.isNaN(when.getTime())) return null;
    return h('time', { class: 'time', datetime: when.toISOString() }, when.toLocaleTimeString(this.options.locale, { hour: '2-digit', minute: '2-digit' }));
  }

  private messageElement(message: ChatMessage): HTMLElement {
    const t = this.t;
    const base = this.options.apiBase;
    if (message.author === 'system') return h('div', { class: 'msg system' }, h('p', { class: 'note' }, message.text));
    // a message that is only a file (its text is the file name) shows the file alone, not the name twice
    const files = attachmentList(this.api, this.session, message.attachments, t.attachment);
    const fileOnly = files !== null && (message.attachments ?? []).some((a) => a.name === message.text);
    if (message.author === 'customer') {
      const element = fileOnly ? h('div', { class: 'msg customer' }, h('span', { class: 'sr' }, `${this.t.you}: `), this.timeOf(message.createdAt)) : this.ownMessageElement(message.text, message.createdAt);
      element.classList.remove('pending');
      if (files) element.append(files);
      return element;
    }
    const who = message.author === 'agent' ? message.agentName || t.team : t.assistant;
    const element = h(
      'div',
      { class: `msg ${message.author}` },
      message.author === 'agent' ? h('p', { class: 'who', 'aria-hidden': 'true' }, who) : null,
      h('span', { class: 'sr' }, `${who}: `),
      message.text && !fileOnly ? h('div', { class: 'bubble' }, linkified(message.text, base)) : null,
      message.text ? this.timeOf(message.createdAt) : null,
    );
    if (files) element.append(files);
    const articles = Array.isArray(message.articles) ? message.articles : [];
    if (articles.length) {
      const cards = h('ul', { class: 'cards' });
      for (const article of articles) {
        const href = safeUrl(article.url, base);
        cards.append(
          h(
            'li',
            { class: 'card' },
            h('h3', {}, article.title),
            article.summary ? h('p', {}, article.summary) : null,
            typeof article.id === 'string' ? this.expander(article.id, article.title) : null,
            href ? h('a', { href, target: '_blank', rel: 'noopener' }, t.readArticle, h('span', { class: 'sr' }, `: ${article.title}`), icon(...ICONS.arrow)) : null,
          ),
        );
      }
      element.append(cards);
    }
    this.appendChoices(element, message.suggestions, 'suggest', t.suggestions);
    this.appendChoices(element, message.quickReplies, 'quick', t.quickReplies);
    return element;
  }

  // ---- attachments (issue 13) --------------------------------------------------------------

  /** A paperclip button and its hidden file input: the chosen file is uploaded at once. */
  private attachControls(): DocumentFragment {
    const picker = h('input', { type: 'file', accept: ACCEPT, hidden: true, class: 'file-input', 'aria-hidden': 'true', tabindex: '-1' });
    picker.addEventListener('change', () => {
      const file = picker.files?.[0];
      picker.value = '';
      if (file) void this.attachFile(file);
    });
    const button = h('button', { type: 'button', class: 'attach', 'aria-label': this.t.attach, title: this.t.attach, onclick: () => picker.click() }, icon(...ICONS.clip));
    const fragment = document.createDocumentFragment();
    fragment.append(picker, button);
    return fragment;
  }

  private async attachFile(file: File): Promise<void> {
    try {
      if (this.status === 'resolved') this.forget();
      const session = await this.ensureConversation();
      const { received } = await this.api.upload(session, file);
      if (session !== this.session) return;
      this.showAll([received], true);
      this.showProblem(undefined);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 413 || error.status === 415)) {
        this.notice.textContent = this.t.attachRefused(error.message);
        this.notice.hidden = false;
      } else this.showProblem(error);
    }
  }

  /** "Read more": the article's full body, fetched once and shown inside the card. */
  private expander(id: string, title: string): DocumentFragment {
    const t = this.t;
    const full = h('div', { class: 'article', hidden: true });
    const label = h('span', {}, t.readMore);
    const toggle = h('button', { type: 'button', class: 'more', 'aria-expanded': 'false' }, label, h('span', { class: 'sr' }, `: ${title}`));
    let loaded = false;
    toggle.addEventListener('click', async () => {
      const opening = full.hidden;
      if (opening && !loaded) {
        toggle.disabled = true;
        try {
          const { html } = await this.api.article(id, this.options.locale);
          // sanitised by the server (the help center shows the same HTML); only this string goes through innerHTML
          full.innerHTML = html;
          full.querySelectorAll('a').forEach((link) => {
            link.target = '_blank';
            link.rel = 'noopener noreferrer';
          });
          loaded = true;
        } catch {
          full.textContent = t.unreachable;
        } finally {
          toggle.disabled = false;
        }
      }
      full.hidden = !opening;
      toggle.setAttribute('aria-expanded', String(opening));
      label.textContent = opening ? t.readLess : t.readMore;
    });
    const fragment = document.createDocumentFragment();
    fragment.append(full, toggle);
    return fragment;
  }

  private appendChoices(element: HTMLElement, choices: Choice[] | undefined, kind: string, label: string): void {
    const valid = Array.isArray(choices) ? choices.filter((choice) => choice && typeof choice.label === 'string' && typeof choice.action === 'string') : [];
    if (!valid.length) return;
    const group = h('div', { class: `choices ${kind}`, role: 'group', 'aria-label': label });
    for (const choice of valid) group.append(h('button', { type: 'button', onclick: () => this.choose(choice) }, choice.label));
    element.append(group);
  }

  /** Suggestions and quick replies answer the latest message only; older ones disappear. */
  private refreshChoices(): void {
    const latest = this.log.lastElementChild;
    this.log.querySelectorAll<HTMLElement>('.choices').forEach((group) => {
      group.hidden = group.parentElement !== latest;
    });
  }

  private scrollToEnd(): void {
    requestAnimationFrame(() => {
      this.body.scrollTop = this.body.scrollHeight;
    });
  }
}

