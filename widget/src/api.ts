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

/** A file in a message (issue 13): read the url with the conversation token (ChatApi.download). */
export interface Attachment {
  id: string;
  name: string;
  type: string;
  size: number;
  url: string;
}

export interface ChatMessage {
  seq: number;
  author: Author;
  text: string;
  articles?: ArticleCard[];
  suggestions?: Choice[];
  quickReplies?: Choice[];
  agentName?: string;
  attachments?: Attachment[];
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

  /** Uploads an image or PDF as the raw body; the server checks what it is by its content. */
  async upload(session: Session, file: File): Promise<{ received: ChatMessage }> {
    const response = await fetch(this.base + this.path(session, '/attachments'), {
      method: 'POST',
      headers: { accept: 'application/json', authorization: `Bearer ${session.token}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) },
      body: file,
    });
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(response.status, payload?.message ?? response.statusText);
    return payload;
  }

  /** A file of this conversation: fetched with the token in a header (never in a URL, which gets logged). */
  async download(session: Session, url: string): Promise<Blob> {
    const target = new URL(url, this.base + '/');
    if (!target.pathname.startsWith(this.path(session, '/attachments/'))) throw new ApiError(400, 'not an attachment of this conversation');
    const response = await fetch(this.base + target.pathname, { headers: { authorization: `Bearer ${session.token}` } });
    if (!response.ok) throw new ApiError(response.status, response.statusText);
    return response.blob();
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
