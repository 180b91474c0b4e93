// One way a customer message arrives, whatever the channel: find or create the customer by a channel
// identity (web visitor id, E.164 phone number), continue or open the conversation, and run the bot turn
// under the per-conversation order. Web, SMS and voice transports stay thin and call this.
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Repositories, Clock } from '../plugins/services.js';
import type { Identity } from '../store/customers.js';
import type { Message } from '../store/conversations.js';
import type { Channel, Conversation } from '../store/schema.js';
import type { TranscriptEntry } from '../../bot/ports.js';
import { ChannelAdapter, BOT_ACCOUNT, type TurnResult } from '../channels/channel-adapter.js';
import { storedInTurn } from '../../bot/transcript-middleware.js';
import type { TurnLock } from './turn-lock.js';

export interface InboundMessage {
  text: string;
  /** a button's action (web) or what a digit stood for (SMS, voice) */
  action?: string;
  /** the channel's id of the message (Twilio MessageSid, a call step): stored, used for idempotency */
  externalId?: string;
  /** the language the channel knows for sure; detection never overrides it */
  locale?: string;
  /** a weaker language signal, used until the customer writes */
  localeHint?: string;
  /** what the channel knows beyond the text (MMS links, speech confidence) */
  extra?: TranscriptEntry['payload'];
}

export interface InboundDependencies {
  repos: Repositories;
  clock: Clock;
  publicUrl: string;
  bot: { run(context: TurnContext): Promise<void> };
  transcriptMiddleware: Middleware;
  onTurnError: (channel: string) => (context: TurnContext, error: Error) => Promise<void>;
  /** one turn at a time per conversation across instances (issue 12), each turn one transaction; in-process order only without it */
  turnLock?: TurnLock;
  /** runs the bot's part of a turn in a savepoint of the turn's transaction (Store.savepoint) */
  savepoint?: <T>(work: () => Promise<T>) => Promise<T>;
}

export class CustomerInbound {
  private readonly adapters = new Map<string, ChannelAdapter>();

  constructor(private readonly deps: InboundDependencies) {}

  /** The adapter of a channel: one per channel, so turns of a conversation keep their order. */
  adapter(channel: string): ChannelAdapter {
    let adapter = this.adapters.get(channel);
    if (!adapter) {
      adapter = new ChannelAdapter(channel, this.deps.turnLock);
      adapter.use(this.deps.transcriptMiddleware);
      adapter.onTurnError = this.deps.onTurnError(channel);
      this.adapters.set(channel, adapter);
    }
    return adapter;
  }

  /** The customer behind the first known identity, else a new one; all identities are linked to them. */
  identify(identities: Identity[], displayName?: string | null): Promise<string> {
    return this.deps.repos.customers.findOrCreate(identities, displayName ?? null);
  }

  /** A new conversation (a web chat started, a call arriving): every channel opens one here. */
  open(input: Parameters<Repositories['conversations']['create']>[0]): Promise<Conversation> {
    return this.deps.repos.conversations.create(input);
  }

  /**
   * The customer's open conversation on this channel and address, unless it has been quiet longer than
   * `idleHours`; else a new one. A resolved conversation is never continued.
   */
  async continueOrOpen(input: { customerId: string; channel: Channel; address: string; locale: string; idleHours: number }): Promise<{ conversation: Conversation; opened: boolean }> {
    const latest = await this.deps.repos.conversations.latestOpenOn(input.customerId, input.channel, input.address);
    const idleSince = this.deps.clock.now().getTime() - input.idleHours * 3_600_000;
    if (latest && Date.parse(latest.updated_at) >= idleSince) return { conversation: latest, opened: false };
    const conversation = await this.open({ customerId: input.customerId, channel: input.channel, locale: input.locale, channelAddress: input.address });
    return { conversation, opened: true };
  }

  /** A message this channel already stored under its id (the provider retried the webhook). */
  alreadyReceived(customerId: string, channel: Channel, externalId: string): Promise<Message | undefined> {
    return this.deps.repos.conversations.findInbound(customerId, channel, externalId);
  }

  /** Opens a conversation with the bot's greeting turn. */
  greet(conversation: Conversation, options: { locale?: string; localeHint?: string; customerName?: string } = {}): Promise<TurnResult> {
    return this.adapter(conversation.channel).process(
      {
        type: 'conversationUpdate',
        conversation: { id: conversation.id } as any,
        from: { id: conversation.customer_id, role: 'user' } as any,
        membersAdded: [{ id: conversation.customer_id, name: options.customerName ?? '' }, BOT_ACCOUNT],
        locale: options.locale,
        channelData: options.localeHint ? { localeHint: options.localeHint } : undefined,
        serviceUrl: this.deps.publicUrl,
      },
      (context) => this.runBot(context),
    );
  }

  /** Stores the customer's message and runs the bot turn, after any turn of this conversation still running. */
  receive(conversation: Conversation, message: InboundMessage): Promise<TurnResult> {
    const activity: Partial<Activity> = {
      type: 'message',
      conversation: { id: conversation.id } as any,
      from: { id: conversation.customer_id, role: 'user' } as any,
      text: message.text,
      value: message.action !== undefined ? { action: message.action } : undefined,
      locale: message.locale,
      channelData: { ...(message.localeHint ? { localeHint: message.localeHint } : {}), ...(message.extra ? { inbound: message.extra } : {}) },
      serviceUrl: this.deps.publicUrl,
    };
    if (message.externalId) activity.id = message.externalId;
    return this.adapter(conversation.channel).process(activity, (context) => this.runBot(context));
  }

  /**
   * The bot's part of a turn. A turn is one transaction (turn-lock.ts); when the bot fails, what it wrote,
   * replied and recorded is undone, while the customer's message stays: the turn then stores it with the
   * apology of the turn's error handler, so a turn is either message and replies, or message and apology.
   */
  private async runBot(context: TurnContext): Promise<void> {
    const stored = storedInTurn<Message>(context);
    const replies = stored.outbound.length;
    const savepoint = this.deps.savepoint ?? ((work) => work());
    try {
      await savepoint(() => this.deps.bot.run(context));
    } catch (error) {
      stored.outbound.length = replies; // rolled back: not stored, never published
      throw error;
    }
  }
}
