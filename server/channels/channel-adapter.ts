// A channel as a botbuilder adapter: an inbound Activity runs the middleware (transcript) and the bot, and
// the replies the transcript middleware stored during the turn come back to the channel, which turns them
// into its transport (HTTP JSON, TwiML, an outbox job). Turns of one conversation run one after the other.
import { randomUUID } from 'node:crypto';
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { storedInTurn } from '../../bot/transcript-middleware.js';
import type { Message } from '../store/conversations.js';
import { noTurnLock, type TurnLock } from '../conversations/turn-lock.js';

export const BOT_ACCOUNT = { id: 'support-bot', name: 'Support', role: 'bot' as const };

export interface TurnResult {
  /** the customer's message as stored (absent for turns without one, e.g. the greeting) */
  received: Message | undefined;
  /** the replies of this turn, as stored, in order */
  replies: Message[];
}

export type BotLogic = (context: TurnContext) => Promise<void>;

export class ChannelAdapter extends BotAdapter {
  /** the turn running now per conversation: turns of one conversation run one after the other */
  private readonly running = new Map<string, Promise<unknown>>();

  /** `turnLock` orders a conversation's turns across processes too (PostgreSQL advisory lock, issue 12). */
  constructor(readonly channelId: string, private readonly turnLock: TurnLock = noTurnLock) {
    super();
  }

  /** Runs one turn for an inbound activity and returns what was stored during it. */
  async process(activity: Partial<Activity>, logic: BotLogic): Promise<TurnResult> {
    const full = {
      id: randomUUID(),
      channelId: this.channelId,
      recipient: BOT_ACCOUNT,
      timestamp: new Date(),
      ...activity,
    } as Activity;
    const conversationId = full.conversation.id;
    const previous = this.running.get(conversationId) ?? Promise.resolve();
    const turn = previous.catch(() => {}).then(() =>
      this.turnLock.run(conversationId, async () => {
        const context = new TurnContext(this, full);
        await this.runMiddleware(context, logic);
        const stored = storedInTurn<Message>(context);
        return { received: stored.inbound, replies: stored.outbound };
      }),
    );
    this.running.set(conversationId, turn);
    try {
      return await turn;
    } finally {
      if (this.running.get(conversationId) === turn) this.running.delete(conversationId);
    }
  }

  /** Resolves when the turn running now in this conversation (if any, on any instance) has finished, however it ended. */
  async settled(conversationId: string): Promise<void> {
    await this.running.get(conversationId)?.catch(() => {});
    // and on other instances: taking the conversation's lock waits for a turn holding it there
    await this.turnLock.run(conversationId, async () => {});
  }

  /** Nothing to transmit here: the replies are stored (and published) by the transcript middleware; the channel sends them. */
  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return activities.map((a) => ({ id: a.id ?? randomUUID() }));
  }

  async updateActivity(): Promise<void> {
    throw new Error(`${this.channelId} messages cannot be edited`);
  }

  async deleteActivity(): Promise<void> {
    throw new Error(`${this.channelId} messages cannot be deleted`);
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: BotLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.process(activity, logic);
  }
}
