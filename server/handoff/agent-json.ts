// The agent API's JSON: schemas (validation, OpenAPI and types in one) and the mapping from stored rows.
// Agents see everything customers don't: internal notes, the bot's decisions, what it offered, the escalation record.
import { Type, type Static } from '@sinclair/typebox';
import type { Message } from '../store/conversations.js';
import type { Conversation } from '../store/schema.js';
import type { EscalationRecord } from './service.js';
import { AttachmentJson, attachmentsOf } from '../attachments/http.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const Channel = Type.Union([Type.Literal('web'), Type.Literal('sms'), Type.Literal('voice')]);
export const Status = Type.Union([Type.Literal('bot'), Type.Literal('queued'), Type.Literal('assigned'), Type.Literal('resolved')]);
const ArticleRef = Type.Object({ id: Type.String(), title: Type.String(), url: Type.Union([Type.String(), Type.Null()]) });
const AgentRef = Type.Object({ id: Type.Integer(), name: Type.String() });

export const Me = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('agent'), Type.Literal('editor'), Type.Literal('admin')]),
  csrfToken: Type.String({ description: 'send as x-csrf-token on every POST' }),
  locale: Type.Union([Type.Literal('de'), Type.Literal('en')], { description: "the console's language, the agent's choice (PATCH /api/agent/me)" }),
  sessionExpiresAt: Type.String({ format: 'date-time' }),
});

export const Identity = Type.Object({
  kind: Type.Union([Type.Literal('web'), Type.Literal('phone'), Type.Literal('email'), Type.Literal('user')], { description: 'user: the host site\'s signed-in user (verified by its signature)' }),
  value: Type.String(),
});

export const Claims = Type.Object(
  { name: Nullable(Type.String()), email: Nullable(Type.String()), phone: Nullable(Type.String()) },
  { description: 'contact details the customer typed when starting the chat: UNVERIFIED, anybody can type anything; never linked to a customer' },
);

export const Customer = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  identities: Type.Array(Identity, { description: 'verified identities only: the channel\'s own (web visitor id, phone number the carrier delivered) or the host site\'s signed user id' }),
});

export const EscalationJson = Type.Object({
  reason: Type.String(),
  offline: Type.Boolean({ description: 'escalated outside opening hours' }),
  offered: Type.Array(ArticleRef, { description: 'articles the bot offered before handing over' }),
  feedback: Type.Array(Type.Object({ articleId: Type.String(), title: Type.String(), helpful: Type.Boolean() })),
});

export const AgentMessage = Type.Object({
  seq: Type.Integer(),
  author: Type.Union([Type.Literal('customer'), Type.Literal('bot'), Type.Literal('agent'), Type.Literal('system')]),
  text: Type.String(),
  internal: Type.Boolean({ description: 'an internal note or record: never shown to the customer' }),
  createdAt: Type.String({ format: 'date-time' }),
  agentName: Type.Optional(Type.String()),
  articles: Type.Optional(Type.Array(ArticleRef, { description: 'articles the bot showed in this turn' })),
  decision: Type.Optional(Type.String({ description: "the bot's decision: answer, suggest, escalate, …" })),
  action: Type.Optional(Type.String({ description: 'the button the customer pressed' })),
  feedback: Type.Optional(Type.Union([Type.Literal('helpful'), Type.Literal('not_helpful')])),
  escalation: Type.Optional(EscalationJson),
  deliveryState: Type.Optional(Type.String({ description: 'outbound channels: queued, sent, delivered or failed' })),
  deliveryError: Type.Optional(Type.String({ description: 'why the delivery failed (or why the last attempt did)' })),
  deliveredBy: Type.Optional(Type.Literal('email', { description: 'issue 13: the reply also went to the customer by e-mail (deliveryState is that e-mail\'s)' })),
  media: Type.Optional(Type.Array(Type.Object({ url: Type.String(), contentType: Type.String() }), { description: 'pictures or files the customer sent (MMS)' })),
  attachments: Type.Optional(Type.Array(AttachmentJson, { description: 'images or PDFs attached in the web chat; GET the url with the agent session' })),
  transfer: Type.Optional(
    Type.Object(
      { fromName: Nullable(Type.String()), toAgentId: Type.Integer(), toName: Type.String() },
      { description: 'an internal note that came with handing the conversation to another agent' },
    ),
  ),
  input: Type.Optional(
    Type.Object(
      { kind: Type.Union([Type.Literal('speech'), Type.Literal('digits')]), confidence: Type.Optional(Type.Number()) },
      { description: 'how a caller answered on the phone: speech (with its recognition confidence) or keypad digits' },
    ),
  ),
});
export type AgentMessage = Static<typeof AgentMessage>;

export const ConversationSummary = Type.Object({
  id: Type.String(),
  channel: Channel,
  locale: Type.String(),
  status: Status,
  reason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  queuedAt: Nullable(Type.String({ format: 'date-time' })),
  assignedAt: Nullable(Type.String({ format: 'date-time' })),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
  assignedAgent: Type.Union([AgentRef, Type.Null()]),
  callbackContact: Nullable(Type.String({ description: 'e-mail or phone the customer wrote for an answer outside opening hours: unverified' })),
  claims: Type.Union([Claims, Type.Null()], { description: 'null when the customer typed no contact details' }),
  rating: Type.Union([Type.Integer(), Type.Null()]),
  ratingComment: Nullable(Type.String()),
  firstQuestion: Nullable(Type.String()),
  pageUrl: Nullable(Type.String({ description: 'the page the customer wrote from, as their widget reported it: unverified' })),
});
export type ConversationSummary = Static<typeof ConversationSummary>;

export const QueueItem = Type.Composite([
  ConversationSummary,
  Type.Object({
    customer: Customer,
    waitingSeconds: Type.Integer({ description: 'since the conversation was queued (0 when it was not)' }),
    lastCustomerSeq: Type.Integer({ description: "seq of the customer's latest message (0: none); the console marks what came after the agent last looked as unread" }),
  }),
]);

export const ConversationDetail = Type.Object({
  conversation: ConversationSummary,
  customer: Customer,
  escalation: Type.Union([EscalationJson, Type.Null()]),
  messages: Type.Array(AgentMessage),
  otherConversations: Type.Array(ConversationSummary, { description: "the customer's other conversations on any channel, newest first" }),
});

export const Problem = Type.Object({
  error: Type.String(),
  message: Type.String(),
  statusCode: Type.Integer(),
  assignedAgent: Type.Optional(AgentRef),
});

export interface Lookups {
  article(id: string, locale: string): { title: string; url: string | null } | undefined;
  agentName(id: number): string | undefined;
}

export function toSummary(conversation: Conversation, lookups: Lookups, firstQuestion: string | null): ConversationSummary {
  const agentId = conversation.assigned_agent_id;
  return {
    id: conversation.id,
    channel: conversation.channel,
    locale: conversation.locale,
    status: conversation.status,
    reason: conversation.escalation_reason,
    createdAt: conversation.created_at,
    queuedAt: conversation.queued_at,
    assignedAt: conversation.assigned_at,
    resolvedAt: conversation.resolved_at,
    assignedAgent: agentId !== null ? { id: agentId, name: lookups.agentName(agentId) ?? `agent ${agentId}` } : null,
    callbackContact: conversation.callback_contact,
    claims:
      conversation.claimed_name || conversation.claimed_email || conversation.claimed_phone
        ? { name: conversation.claimed_name, email: conversation.claimed_email, phone: conversation.claimed_phone }
        : null,
    rating: conversation.rating,
    ratingComment: conversation.rating_comment,
    firstQuestion,
    pageUrl: conversation.page_url ?? null,
  };
}

export function toEscalation(record: EscalationRecord, locale: string, lookups: Lookups): Static<typeof EscalationJson> {
  const ref = (id: string) => {
    const article = lookups.article(id, locale);
    return { id, title: article?.title ?? id, url: article?.url ?? null };
  };
  return {
    reason: record.reason,
    offline: record.offline,
    offered: record.offeredArticleIds.map(ref),
    feedback: record.feedback.map((f) => ({ articleId: f.articleId, title: ref(f.articleId).title, helpful: f.helpful })),
  };
}

export function toAgentMessage(message: Message, locale: string, lookups: Lookups, delivery?: { error: string | null; channel?: string }): AgentMessage {
  const payload = (message.payload ?? {}) as Record<string, any>;
  const json: AgentMessage = { seq: message.seq, author: message.author, text: message.text, internal: message.internal, createdAt: message.createdAt };
  if (typeof payload.agentName === 'string') json.agentName = payload.agentName;
  else if (message.agentId !== null) json.agentName = lookups.agentName(message.agentId);
  if (Array.isArray(payload.articles) && payload.articles.length) {
    json.articles = payload.articles.map((a: any) => ({ id: String(a.id), title: String(a.title ?? a.id), url: typeof a.url === 'string' ? a.url : null }));
  }
  if (typeof payload.decision === 'string') json.decision = payload.decision;
  if (typeof payload.action === 'string') {
    json.action = payload.action;
    if (payload.action === 'feedback:yes') json.feedback = 'helpful';
    if (payload.action === 'feedback:no') json.feedback = 'not_helpful';
  }
  if (payload.escalation) json.escalation = toEscalation(payload.escalation as EscalationRecord, locale, lookups);
  if (message.deliveryState) json.deliveryState = message.deliveryState;
  if (delivery?.error) json.deliveryError = delivery.error;
  if (delivery?.channel === 'email') json.deliveredBy = 'email';
  // only web links: a stored URL becomes a link in the console
  const media = Array.isArray(payload.media) ? payload.media.filter((m: any) => /^https?:\/\//.test(String(m?.url))) : [];
  if (media.length) json.media = media.map((m: any) => ({ url: String(m.url), contentType: String(m.contentType ?? '') }));
  const attachments = attachmentsOf(message.payload, `/api/agent/conversations/${encodeURIComponent(message.conversationId)}`);
  if (attachments.length) json.attachments = attachments;
  if (payload.transfer && typeof payload.transfer.toAgentId === 'number') {
    json.transfer = { fromName: typeof payload.transfer.fromName === 'string' ? payload.transfer.fromName : null, toAgentId: payload.transfer.toAgentId, toName: String(payload.transfer.toName ?? '') };
  }
  if (payload.input && (payload.input.kind === 'speech' || payload.input.kind === 'digits')) {
    json.input = { kind: payload.input.kind, ...(typeof payload.input.confidence === 'number' ? { confidence: payload.input.confidence } : {}) };
  }
  return json;
}
