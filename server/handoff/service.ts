// The human queue: escalate, claim, reply, note, hand back, resolve. One service object, one method per
// action an agent or the bot takes; every change goes through the transcript (stored, then published),
// and everything said to the customer goes through the channel's delivery.
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { ArticleRef, ConversationRef, EscalationContext, EscalationOutcome, EscalationReason, Handoff } from '../../bot/ports.js';
import type { Config } from '../config.js';
import type { Transcript } from '../conversations/transcript.js';
import type { Clock, Repositories } from '../plugins/services.js';
import type { AgentRepository } from '../store/agents.js';
import type { Message } from '../store/conversations.js';
import type { Identity } from '../store/customers.js';
import type { Agent, Conversation, ConversationStatus } from '../store/schema.js';
import type { Deliveries } from './delivery.js';
import { isOpen, nextOpening } from './opening-hours.js';
import { linkedArticles } from '../kb/learning.js';
import { renderNotice, type HandoffNotice } from '../../bot/replies/index.js';
import { stringsFor } from '../../bot/strings.js';
import { DEFAULT_WAIT_MINUTES, estimateQueueWaitMinutes, RECENT_CLAIMS } from './wait-estimate.js';
import type { Presence } from './presence.js';

/** A refused agent action, with the HTTP status the API answers with. */
/** `{ kbArticles: [{ id, locale }] }` when an agent's text links help-center articles, else nothing. */
function kbArticlesOf(text: string): { kbArticles?: Array<{ id: string; locale: string }> } {
  const articles = linkedArticles(text);
  return articles.length ? { kbArticles: articles } : {};
}

export class HandoffError extends Error {
  constructor(
    readonly statusCode: 404 | 409,
    message: string,
    readonly code: 'not_found' | 'conflict',
    /** for a lost claim: who has the conversation */
    readonly assignedAgent?: { id: number; name: string },
  ) {
    super(message);
    this.name = 'HandoffError';
  }
}

/** What the internal escalation record (a system message agents see, customers don't) carries. */
export interface EscalationRecord {
  reason: EscalationReason;
  offeredArticleIds: string[];
  feedback: EscalationContext['feedback'];
  offline: boolean;
  /** on the phone: why the bot handed over (the reason is then voice_transfer) */
  botReason?: EscalationReason;
}

export interface QueueStatus {
  position: number;
  expectedWaitMinutes: number;
}

export interface HandoffDependencies {
  repos: Repositories;
  agents: AgentRepository;
  transcript: Transcript;
  clock: Clock;
  openingHours: Config['openingHours'];
  deliveries: Deliveries;
  /** which agents are online: the wait estimate, and no agent online means the offline flow */
  presence: Presence;
  logger: Logger;
}

const EMAIL = /[^\s<>()@,;:"]+@[^\s<>()@,;:"]+\.[a-z]{2,}/i;
const INTERNATIONAL_PHONE = /(?:\+|\b00)\d[\d\s\-/().]{5,20}\d/;
const NATIONAL_PHONE = /\b0\d[\d\s\-/().]{5,18}\d\b/;

/** An e-mail address or phone number the customer wrote, and the identity it proves (E.164 only: no guessing a country). */
export function findContact(text: string): { contact: string; identity?: Identity } | undefined {
  const email = EMAIL.exec(text)?.[0].replace(/[.,;:!?]+$/, '');
  if (email) return { contact: email.toLowerCase(), identity: { kind: 'email', value: email } };
  const international = INTERNATIONAL_PHONE.exec(text)?.[0];
  if (international) {
    const digits = international.replace(/\D/g, '').replace(/^00/, '');
    if (digits.length >= 8 && digits.length <= 15) return { contact: `+${digits}`, identity: { kind: 'phone', value: `+${digits}` } };
  }
  const national = NATIONAL_PHONE.exec(text)?.[0];
  if (national && national.replace(/\D/g, '').length >= 6) return { contact: national.trim() };
  return undefined;
}

export class HandoffService implements Handoff {
  constructor(private readonly deps: HandoffDependencies) {}

  private get conversations() {
    return this.deps.repos.conversations;
  }

  private nowIso(): string {
    return this.deps.clock.now().toISOString();
  }

  async isWithHuman(conversationId: string): Promise<boolean> {
    const conversation = await this.conversations.get(conversationId);
    return conversation?.status === 'queued' || conversation?.status === 'assigned';
  }

  async humanStatus(conversationId: string): Promise<{ status: 'queued' | 'assigned'; awaitingContact?: boolean } | null> {
    const conversation = await this.conversations.get(conversationId);
    if (conversation?.status === 'assigned') return { status: 'assigned' };
    if (conversation?.status !== 'queued') return null;
    return { status: 'queued', awaitingContact: !conversation.callback_contact && !conversation.channel_address && !(await this.teamAvailable()) };
  }

  isOpen(): boolean {
    return isOpen(this.deps.openingHours, this.deps.clock.now());
  }

  /** In opening hours with at least one agent online: someone can answer in the chat now. */
  async teamAvailable(): Promise<boolean> {
    return this.isOpen() && (await this.deps.presence.onlineCount()) > 0;
  }

  /** Where the conversation stands in the queue and the expected wait (null when no agent is online). */
  async queueStatus(conversationId: string): Promise<{ position: number; expectedWaitMinutes: number | null }> {
    const [position, recent, online] = await Promise.all([
      this.conversations.queuePosition(conversationId),
      this.conversations.recentClaims(RECENT_CLAIMS),
      this.deps.presence.onlineCount(),
    ]);
    return { position, expectedWaitMinutes: estimateQueueWaitMinutes(recent, position, online) };
  }

  /**
   * Puts the conversation in the queue (from `bot` only, atomically) with its reason, and records what the
   * bot offered and what the customer said about it. Returns what the bot tells the customer.
   * Escalating a conversation that is already with a person changes nothing and repeats where it stands.
   */
  async escalate(ref: ConversationRef, botReason: EscalationReason, context: EscalationContext): Promise<EscalationOutcome> {
    // on the phone every hand-over is a transfer of the call: that is what the agents must act on
    const reason: EscalationReason = ref.channel === 'voice' ? 'voice_transfer' : botReason;
    // outside opening hours, or in them with no agent online: the customer leaves a contact instead of waiting.
    // A call is put through to the agents' phone line, which does not depend on who has the console open.
    const offline = ref.channel === 'voice' ? !this.isOpen() : !(await this.teamAvailable());
    const moved = await this.deps.transcript.changeStatus(ref.conversationId, ['bot'], {
      status: 'queued',
      escalation_reason: reason,
      // the bot may have detected the customer's language after the conversation started: agents answer in it
      locale: ref.locale,
      queued_at: this.nowIso(),
      assigned_agent_id: null,
      assigned_at: null,
    });
    if (moved) {
      const record: EscalationRecord = { reason, offeredArticleIds: context.offeredArticleIds, feedback: context.feedback, offline, ...(reason !== botReason ? { botReason } : {}) };
      await this.deps.transcript.append(ref.conversationId, { author: 'system', text: `Escalated: ${reason}`, internal: true, payload: { escalation: record } });
    }
    if (offline) {
      const back = nextOpening(this.deps.openingHours, this.deps.clock.now());
      // open but nobody online: no opening time to promise
      const nextAt = this.isOpen() ? null : (back?.toISOString() ?? null);
      return { kind: 'offline', reason: botReason, nextOpening: nextAt, timeZone: this.deps.openingHours.timeZone };
    }
    const { position, expectedWaitMinutes } = await this.queueStatus(ref.conversationId);
    // the outcome speaks to the customer: why the bot handed over, whatever the queue records
    return { kind: 'queued', reason: botReason, position: Math.max(position, 1), waitMinutes: expectedWaitMinutes ?? DEFAULT_WAIT_MINUTES };
  }

  /**
   * Stores an e-mail address or phone number the customer left for an answer (outside opening hours) on the
   * conversation. It is a claim (anybody can type anyone's address), so it is never linked to a customer.
   * Only the first contact counts; the customer gets one confirmation.
   */
  async recordCallbackContact(conversationId: string, text: string): Promise<{ recorded: boolean; contact?: string }> {
    const found = findContact(text);
    if (!found) return { recorded: false };
    const conversation = await this.conversations.get(conversationId);
    if (!conversation) return { recorded: false };
    if (!(await this.conversations.setCallbackContactOnce(conversationId, found.contact))) return { recorded: false, contact: found.contact };
    await this.tellCustomer(conversation, { kind: 'callback_recorded', contact: found.contact }, { callbackContact: found.contact });
    return { recorded: true, contact: found.contact };
  }

  /**
   * A caller outside opening hours asked to be called back at their number: the conversation stays
   * queued, now with reason `callback` and the number as the callback contact.
   */
  async recordPhoneCallback(conversationId: string, phone: string): Promise<boolean> {
    const conversation = await this.require(conversationId);
    if (conversation.status !== 'queued') return false;
    await this.conversations.setCallbackContactOnce(conversationId, phone);
    const changed = await this.deps.transcript.changeStatus(conversationId, ['queued'], { status: 'queued', escalation_reason: 'callback' });
    await this.deps.transcript.append(conversationId, { author: 'system', text: `Callback requested at ${phone}`, internal: true, payload: { callbackContact: phone } });
    return changed;
  }

  /** A customer message arrived: while queued outside opening hours it may carry the contact for the answer. */
  async onCustomerMessage(conversationId: string, text: string): Promise<void> {
    const conversation = await this.conversations.get(conversationId);
    if (conversation?.status !== 'queued' || conversation.callback_contact || (await this.teamAvailable())) return;
    // an SMS or a call already came from the number we answer to: no contact to ask for
    if (conversation.channel_address) return;
    await this.recordCallbackContact(conversationId, text);
  }

  /** Atomic in SQL: of two agents claiming at once exactly one wins; the other learns who did. */
  async claim(conversationId: string, agent: Agent): Promise<Conversation> {
    const won = await this.deps.transcript.changeStatus(conversationId, ['queued'], { status: 'assigned', assigned_agent_id: agent.id, assigned_at: this.nowIso() });
    const conversation = await this.require(conversationId);
    if (!won) {
      if (conversation.status === 'assigned' && conversation.assigned_agent_id !== null) {
        const holder = await this.deps.agents.get(conversation.assigned_agent_id);
        const name = holder?.display_name ?? 'another agent';
        throw new HandoffError(409, `${name} has already claimed this conversation`, 'conflict', { id: conversation.assigned_agent_id, name });
      }
      throw new HandoffError(409, `This conversation is not waiting in the queue (it is ${conversation.status})`, 'conflict');
    }
    await this.tellCustomer(conversation, { kind: 'agent_joined', agentName: agent.display_name }, { agentJoined: { agentName: agent.display_name } });
    return conversation;
  }

  /** The agent's answer: stored first, then delivered on the customer's channel. */
  async reply(conversationId: string, agent: Agent, text: string, extra: { attachments?: unknown[] } = {}): Promise<Message> {
    const conversation = await this.require(conversationId);
    this.requireOwner(conversation, agent, 'reply');
    const message = await this.deps.transcript.append(conversationId, {
      author: 'agent',
      text,
      agentId: agent.id,
      // the KB articles the reply sends (the console's Insert puts their links in): insights know what an agent sent
      // (issue 13: `extra.attachments`, files the agent attached, stored before this message)
      payload: { agentName: agent.display_name, ...kbArticlesOf(text), ...(extra.attachments?.length ? { attachments: extra.attachments } : {}) },
      deliveryState: this.deps.deliveries.tracksState(conversation.channel) ? 'queued' : null,
    });
    await this.deliver(conversation, message);
    return message;
  }

  /** An internal note between agents: in the transcript for agents, never sent or shown to the customer. */
  async note(conversationId: string, agent: Agent, text: string): Promise<Message> {
    await this.require(conversationId);
    return this.deps.transcript.append(conversationId, { author: 'agent', text, internal: true, agentId: agent.id, payload: { agentName: agent.display_name } });
  }

  /**
   * Hands the conversation to another agent with a note for them (an internal note in the transcript). The
   * agent who has it (or an admin) may transfer; a queued one may be given to someone directly. Atomic: it
   * moves only from the agent who had it when asked. The customer is told who is there for them now.
   */
  async transfer(conversationId: string, agent: Agent, to: Agent, note: string): Promise<Conversation> {
    const conversation = await this.require(conversationId);
    this.requireOwnerOrQueued(conversation, agent, 'transfer');
    if (to.id === conversation.assigned_agent_id) throw new HandoffError(409, `${to.display_name} already has this conversation`, 'conflict');
    const guard = conversation.status === 'assigned' ? { assignedTo: conversation.assigned_agent_id! } : {};
    const moved = await this.deps.transcript.changeStatus(conversationId, [conversation.status], { status: 'assigned', assigned_agent_id: to.id, assigned_at: this.nowIso() }, guard);
    if (!moved) throw new HandoffError(409, 'The conversation changed meanwhile; reload it', 'conflict');
    const from = conversation.assigned_agent_id !== null ? await this.deps.agents.get(conversation.assigned_agent_id) : undefined;
    await this.deps.transcript.append(conversationId, {
      author: 'agent',
      text: note,
      internal: true,
      agentId: agent.id,
      payload: { agentName: agent.display_name, transfer: { fromAgentId: from?.id ?? null, fromName: from?.display_name ?? null, toAgentId: to.id, toName: to.display_name } },
    });
    await this.tellCustomer(conversation, { kind: 'agent_joined', agentName: to.display_name }, { agentJoined: { agentName: to.display_name } });
    return (await this.conversations.get(conversationId))!;
  }

  /** An article sent as a card, as the bot sends one (web: the card; SMS and calls: title, summary and link as text). */
  async sendArticle(conversationId: string, agent: Agent, article: ArticleRef, intro: string | undefined): Promise<Message> {
    const conversation = await this.require(conversationId);
    this.requireOwner(conversation, agent, 'send an article');
    const lead = intro?.trim() || stringsFor(conversation.locale).answerLead;
    const text = conversation.channel === 'web' ? lead : `${lead}\n${article.title}: ${article.summary}\n${article.shortUrl ?? article.url}`;
    const message = await this.deps.transcript.append(conversationId, {
      author: 'agent',
      text,
      agentId: agent.id,
      payload: { agentName: agent.display_name, articles: [{ id: article.id, title: article.title, summary: article.summary, url: article.url }] },
      deliveryState: this.deps.deliveries.tracksState(conversation.channel) ? 'queued' : null,
    });
    await this.deliver(conversation, message);
    return message;
  }

  /** Gives the conversation back to the bot, which may answer again. */
  async handBack(conversationId: string, agent: Agent): Promise<Conversation> {
    const conversation = await this.require(conversationId);
    this.requireOwnerOrQueued(conversation, agent, 'hand back');
    const moved = await this.deps.transcript.changeStatus(conversationId, [conversation.status], { status: 'bot', assigned_agent_id: null });
    if (!moved) throw new HandoffError(409, 'The conversation changed meanwhile; reload it', 'conflict');
    await this.deps.transcript.append(conversationId, { author: 'system', text: `Handed back to the bot by ${agent.display_name}`, internal: true, agentId: agent.id });
    await this.tellCustomer(conversation, { kind: 'handed_back' });
    return (await this.conversations.get(conversationId))!;
  }

  /** Closes the conversation and asks the customer for a rating. A later message starts a new conversation. */
  async resolve(conversationId: string, agent: Agent): Promise<Conversation> {
    const conversation = await this.require(conversationId);
    this.requireOwnerOrQueued(conversation, agent, 'resolve');
    const moved = await this.deps.transcript.changeStatus(conversationId, [conversation.status], { status: 'resolved', resolved_at: this.nowIso() });
    if (!moved) throw new HandoffError(409, 'The conversation changed meanwhile; reload it', 'conflict');
    await this.tellCustomer(conversation, { kind: 'resolved', ratingRequest: { min: 1, max: 5 } }, { ratingRequest: { min: 1, max: 5 } });
    return (await this.conversations.get(conversationId))!;
  }

  /** The customer's rating after resolve (1 to 5, optional comment), once per conversation; false when refused. */
  async rate(conversationId: string, rating: number, comment?: string | null): Promise<boolean> {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return false;
    return this.conversations.rateOnce(conversationId, rating, comment?.slice(0, 2000) ?? null);
  }

  /** Stores the outcome worded by the customer's channel, then delivers it there. */
  private async tellCustomer(conversation: Conversation, outcome: HandoffNotice, payload?: Record<string, unknown>): Promise<void> {
    const text = renderNotice(conversation.channel, outcome, conversation.locale);
    const message = await this.deps.transcript.append(conversation.id, { author: 'system', text, payload: payload ?? null, deliveryState: this.deps.deliveries.tracksState(conversation.channel) ? 'queued' : null });
    await this.deliver(conversation, message);
  }

  /** Delivery failures are logged, not thrown: the message is stored and the outbox retries. */
  private async deliver(conversation: Conversation, message: Message): Promise<void> {
    try {
      await this.deps.deliveries.for(conversation.channel).deliver(conversation, message);
    } catch (error) {
      this.deps.logger.error({ err: error, conversationId: conversation.id, messageId: message.id }, 'delivery failed');
    }
  }

  private async require(conversationId: string): Promise<Conversation> {
    const conversation = await this.conversations.get(conversationId);
    if (!conversation) throw new HandoffError(404, 'No such conversation', 'not_found');
    return conversation;
  }

  private requireOwner(conversation: Conversation, agent: Agent, action: string): void {
    if (conversation.status === 'assigned' && conversation.assigned_agent_id === agent.id) return;
    throw new HandoffError(409, `Claim the conversation before you ${action} (it is ${describe(conversation.status)})`, 'conflict');
  }

  private requireOwnerOrQueued(conversation: Conversation, agent: Agent, action: string): void {
    if (conversation.status === 'queued') return;
    if (conversation.status === 'assigned' && (conversation.assigned_agent_id === agent.id || agent.role === 'admin')) return;
    throw new HandoffError(409, `You cannot ${action} this conversation (it is ${describe(conversation.status)})`, 'conflict');
  }
}

function describe(status: ConversationStatus): string {
  return status === 'assigned' ? 'assigned to another agent' : status === 'bot' ? 'with the bot' : status;
}
