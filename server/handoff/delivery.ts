// Delivering what an agent (or the handoff) says to the customer, per channel. The message is already
// stored when deliver() is called: delivery may fail and be retried, the transcript never loses it.
// Each channel registers its own delivery; the handoff knows none of them.
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Message } from '../store/conversations.js';
import type { ConversationRepository } from '../store/conversations.js';
import type { Conversation } from '../store/schema.js';

export interface ChannelDelivery {
  /** whether messages get a delivery state (queued, sent, delivered, failed): outbound channels such as SMS */
  readonly tracksState: boolean;
  deliver(conversation: Conversation, message: Message): Promise<void>;
}

/** Web chat: the widget's WebSocket already receives every stored message from the bus; nothing more to do. */
export const webDelivery: ChannelDelivery = {
  tracksState: false,
  async deliver() {},
};

/** A channel nobody registered (e.g. SMS while Twilio is not configured): the message stays `queued`, visibly. */
function unregistered(conversations: ConversationRepository, logger: Logger): ChannelDelivery {
  return {
    tracksState: true,
    async deliver(conversation, message) {
      await conversations.setDeliveryState(message.id, 'queued');
      logger.warn({ conversationId: conversation.id, channel: conversation.channel, messageId: message.id }, 'no delivery registered for this channel: message not sent');
    },
  };
}

export class Deliveries {
  private readonly byChannel = new Map<string, ChannelDelivery>();
  private readonly fallback: ChannelDelivery;

  constructor(conversations: ConversationRepository, logger: Logger) {
    this.fallback = unregistered(conversations, logger);
  }

  register(channel: string, delivery: ChannelDelivery): void {
    this.byChannel.set(channel, delivery);
  }

  /** Whether messages on this channel get a delivery state (its delivery says so). */
  tracksState(channel: string): boolean {
    return this.for(channel).tracksState;
  }

  for(channel: string): ChannelDelivery {
    return this.byChannel.get(channel) ?? this.fallback;
  }
}
