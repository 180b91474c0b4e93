// A stored message as the customer's client sees it: the web chat API's message JSON.
// Internal notes never get here; callers filter them out and this refuses them too.
import { Type, type Static } from '@sinclair/typebox';
import type { Message } from '../../store/conversations.js';
import { AttachmentJson, attachmentsOf } from '../../attachments/http.js';

const ReplyOption = Type.Object({ label: Type.String(), action: Type.String() });

export const ChatMessage = Type.Object(
  {
    seq: Type.Integer({ description: 'position in the conversation, from 1; use it for ?after= and to drop duplicates' }),
    author: Type.Union([Type.Literal('customer'), Type.Literal('bot'), Type.Literal('agent'), Type.Literal('system')]),
    text: Type.String(),
    articles: Type.Optional(
      Type.Array(Type.Object({ id: Type.String(), title: Type.String(), summary: Type.String(), url: Type.String() }), {
        description: 'articles to show as cards (title, summary, link to the help center)',
      }),
    ),
    suggestions: Type.Optional(Type.Array(ReplyOption, { description: '"did you mean" chips; send the action back to pick one' })),
    quickReplies: Type.Optional(Type.Array(ReplyOption, { description: 'buttons; send the action back as { action }' })),
    agentName: Type.Optional(Type.String({ description: 'display name of the agent who wrote it' })),
    attachments: Type.Optional(Type.Array(AttachmentJson, { description: 'images or PDFs; GET each url with the conversation token' })),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type ChatMessage = Static<typeof ChatMessage>;

type Payload = { articles?: unknown; suggestions?: unknown; quickReplies?: unknown; agentName?: unknown };

export function toChatMessage(message: Message): ChatMessage {
  if (message.internal) throw new Error('internal notes are never shown to customers');
  const payload = (message.payload ?? {}) as Payload;
  const chat: ChatMessage = { seq: message.seq, author: message.author, text: message.text, createdAt: message.createdAt };
  if (Array.isArray(payload.articles) && payload.articles.length) {
    chat.articles = payload.articles.map((a: any) => ({ id: String(a.id), title: String(a.title), summary: String(a.summary ?? ''), url: String(a.url) }));
  }
  if (Array.isArray(payload.suggestions) && payload.suggestions.length) chat.suggestions = payload.suggestions.map(option);
  if (Array.isArray(payload.quickReplies) && payload.quickReplies.length) chat.quickReplies = payload.quickReplies.map(option);
  if (message.author === 'agent' && typeof payload.agentName === 'string') chat.agentName = payload.agentName;
  const attachments = attachmentsOf(message.payload, `/api/chat/conversations/${encodeURIComponent(message.conversationId)}`);
  if (attachments.length) chat.attachments = attachments;
  return chat;
}

function option(o: any) {
  return { label: String(o.label), action: String(o.action) };
}

/** The messages a customer may see, as JSON. */
export function customerVisible(messages: Message[]): ChatMessage[] {
  return messages.filter((m) => !m.internal).map(toChatMessage);
}
