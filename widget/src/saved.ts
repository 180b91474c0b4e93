// What survives a page reload, in the host page's localStorage, namespaced by the chat server's origin.
// localStorage can be missing or throw (private mode, sandboxed frames): then the chat simply starts fresh.
import type { Session } from './api.js';

export interface SavedConversation extends Session {
  /** the panel was open when the page was left */
  open?: boolean;
  rated?: boolean;
  /** the signed-in user (data-user-id) the conversation was started for */
  userId?: string;
}

export class SavedState {
  private readonly conversationKey: string;
  private readonly visitorKey: string;

  constructor(apiOrigin: string) {
    this.conversationKey = `supportdesk:conversation:${apiOrigin}`;
    this.visitorKey = `supportdesk:visitor:${apiOrigin}`;
  }

  conversation(): SavedConversation | undefined {
    const raw = read(this.conversationKey);
    if (!raw) return undefined;
    try {
      const saved = JSON.parse(raw);
      return typeof saved?.conversationId === 'string' && typeof saved?.token === 'string' ? saved : undefined;
    } catch {
      return undefined;
    }
  }

  saveConversation(saved: SavedConversation | undefined): void {
    write(this.conversationKey, saved ? JSON.stringify(saved) : undefined);
  }

  update(changes: Partial<SavedConversation>): void {
    const saved = this.conversation();
    if (saved) this.saveConversation({ ...saved, ...changes });
  }

  /** The visitor id links this browser's conversations to one customer; it outlives each conversation. */
  visitorId(): string | undefined {
    return read(this.visitorKey) ?? undefined;
  }

  saveVisitorId(visitorId: string): void {
    write(this.visitorKey, visitorId);
  }
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | undefined): void {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage unavailable: the conversation lasts as long as the page
  }
}
