// Delivering what an agent (or the handoff) says to the customer, per channel. The message is already
// stored when deliver() is called: delivery may fail and be retried, the transcript never loses it.
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Message } from '../store/conversations.js';
import type { ConversationRepository } from '../store/conversations.js';
import type { Channel, Conversation } from '../store/schema.js';

export interface ChannelDelivery {
  deliver(conversation: Conversation, message: Message): Promise<void>;
}

/** Web chat: the widget's WebSocket already receives every stored message from the bus; nothing more to do. */
export const webDelivery: ChannelDelivery = {
  async deliver() {},
};

/**
 * SMS and voice until the Twilio issue lands: the message waits in the outbox (delivery_state 'queued')
 * for the Twilio sender, which will replace this with a REST call, retries and status callbacks.
 */
export function outboxDelivery(conversations: ConversationRepository, logger: Logger): ChannelDelivery {
  return {
    async deliver(conversation, message) {
      await conversations.setDeliveryState(message.id, 'queued');
      logger.warn({ conversationId: conversation.id, channel: conversation.channel, messageId: message.id }, 'no sender for this channel yet: message kept in the outbox');
    },
  };
}

export type Deliveries = Record<Channel, ChannelDelivery>;
