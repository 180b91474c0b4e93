// SMS and phone through Twilio, on when TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER are set.
// Registers the webhooks, the SMS sender of the outbox, and the deliveries of the sms and voice channels
// (an agent's answer to a caller goes out as an SMS to their number).
import fp from 'fastify-plugin';
import type { ChannelDelivery } from '../../handoff/delivery.js';
import { createTwilioClient, type TwilioClient } from './client.js';
import { smsSender } from './sms-sender.js';
import { twilioSms, SMS_CHANNEL } from '../twilio-sms.js';
import { twilioVoice } from '../twilio-voice.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the Twilio REST client; undefined while Twilio is not configured */
    twilioClient: TwilioClient | undefined;
  }
}

export default fp(
  async (app) => {
    const config = app.config.twilio;
    if (!config) {
      app.decorate('twilioClient', undefined);
      app.log.info('SMS and voice are off: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER to turn them on');
      return;
    }
    const client = createTwilioClient(config);
    app.decorate('twilioClient', client);
    app.outbox.register(
      SMS_CHANNEL,
      smsSender({
        client,
        from: config.phoneNumber,
        statusCallback: `${app.config.publicUrl}/twilio/sms/status`,
        isOptedOut: (phone) => app.repos.customers.isOptedOut(phone),
      }),
    );
    const bySms: ChannelDelivery = {
      tracksState: true,
      async deliver(conversation, message) {
        if (!conversation.channel_address) throw new Error(`conversation ${conversation.id} has no phone number to answer to`);
        await app.outbox.enqueue({ messageId: message.id, conversationId: conversation.id, channel: SMS_CHANNEL, recipient: conversation.channel_address, body: message.text });
      },
    };
    app.deliveries.register('sms', bySms);
    // a caller gets an agent's written answer by SMS; notices (agent joined, closed) belong to the call, not to texts
    app.deliveries.register('voice', {
      tracksState: true,
      async deliver(conversation, message) {
        if (message.author === 'agent') return bySms.deliver(conversation, message);
        await app.repos.conversations.setDeliveryState(message.id, null);
      },
    });
    await app.register(twilioSms, { twilioConfig: config });
    await app.register(twilioVoice, { twilioConfig: config });
    app.log.info({ number: config.phoneNumber }, 'SMS and voice are on');
  },
  { name: 'twilio', dependencies: ['services', 'kb', 'bot', 'handoff', 'outbox'] },
);
