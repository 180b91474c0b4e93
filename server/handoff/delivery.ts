// Delivering what an agent (or the handoff) says to the customer, per channel. The message is already
// stored when deliver() is called: delivery may fail and be retried, the transcript never loses it.
// Each channel registers its own delivery; the handoff knows none of them.
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Message } from '../store/conversations.js';
import type { ConversationRepository } from '../store/conversations.js';
import type { Conversation } from '../store/schema.js';

export interface ChannelDelivery {
  deliver(conversation: Conversation, message: Message): Promise<void>;
}

/** Web chat: the widget's WebSocket already receives every stored message from the bus; nothing more to do. */
export const webDelivery: ChannelDelivery = {
  async deliver() {},
};

/** A channel nobody registered (e.g. SMS while Twilio is not configured): the message stays `queued`, visibly. */
function unregistered(conversations: ConversationRepository, logger: Logger): ChannelDelivery {
  return {
    async deliver(conversation, message) {
      await conversations.setDeliveryState(message.id, 'queued');
      logger.warn({ conversationId: conversation.id, channel: conversation.channel, messageId: message.id }, 'no delivery registered for this channel: message not sent');
    },
  };
}

export class Deliveries {
  private readonly byChannel = new Map<string, ChannelDelivery>([['web', webDelivery]]);
  private readonly fallback: ChannelDelivery;

  constructor(conversations: ConversationRepository, logger: Logger) {
    this.fallback = unregistered(conversations, logger);
  }

  register(channel: string, delivery: ChannelDelivery): void {
    this.byChannel.set(channel, delivery);
  }

  /** Whether messages on this channel go out by themselves (web) or need a delivery state. */
  tracksState(channel: string): boolean {
    return channel !== 'web';
  }

  for(channel: string): ChannelDelivery {
    return this.byChannel.get(channel) ?? this.fallback;
  }
}
