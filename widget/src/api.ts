// The web chat API as the widget uses it (server/channels/webchat): plain fetch, JSON in and out.
export type Author = 'customer' | 'bot' | 'agent' | 'system';
export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'resolved';

export interface ArticleCard {
  id: string;
  title: string;
  summary?: string;
  url?: string;
}

/** A suggestion chip or quick reply: show the label, send the action back as { action }. */
export interface Choice {
  label: string;
  action: string;
}

export interface ChatMessage {
  seq: number;
  author: Author;
  text: string;
  articles?: ArticleCard[];
  suggestions?: Choice[];
  quickReplies?: Choice[];
  agentName?: string;
  internal?: boolean;
  createdAt?: string;
}

export interface Session {
  conversationId: string;
  token: string;
}

export type LiveEvent = { type: 'message'; message: ChatMessage } | { type: 'status'; status: ConversationStatus } | { type: 'typing'; name?: string | null };

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class ChatApi {
  constructor(readonly base: string) {}

  private async call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(response.status, payload?.message ?? response.statusText);
    return payload as T;
  }

  private path(session: Session, rest: string): string {
    return `/api/chat/conversations/${encodeURIComponent(session.conversationId)}${rest}`;
  }

  start(input: { locale: string; visitorId?: string; user?: { id: string; hash: string } }) {
    // the page the customer writes from, for the agent: without query and fragment (they may hold tokens)
    const page = `${location.origin}${location.pathname}`;
    const pageUrl = /^https?:\/\//.test(page) && page.length <= 500 ? page : undefined;
    return this.call<Session & { messages: ChatMessage[]; visitorId?: string; status?: ConversationStatus }>('POST', '/api/chat/conversations', undefined, { ...input, ...(pageUrl ? { pageUrl } : {}) });
  }

  send(session: Session, body: ({ text: string } | { action: string }) & { clientMessageId?: string }) {
    return this.call<{ received: ChatMessage; messages: ChatMessage[] }>('POST', this.path(session, '/messages'), session.token, body);
  }

  messagesAfter(session: Session, after: number) {
    return this.call<{ status: ConversationStatus; messages: ChatMessage[] }>('GET', this.path(session, `/messages?after=${after}`), session.token);
  }

  rate(session: Session, stars: number, comment: string) {
    return this.call<unknown>('POST', this.path(session, '/rating'), session.token, comment ? { stars, comment } : { stars });
  }

  /** The article's body as HTML the server has sanitised (the help center renders the same). */
  article(id: string, locale: string) {
    return this.call<{ html: string }>('GET', `/api/articles/${encodeURIComponent(id)}?locale=${encodeURIComponent(locale)}`);
  }

  /** The server replays messages after `after` first, then sends live events (and the status on connect). */
  streamUrl(session: Session, after: number): string {
    return this.base.replace(/^http/, 'ws') + this.path(session, `/stream?token=${encodeURIComponent(session.token)}&after=${after}`);
  }
}
