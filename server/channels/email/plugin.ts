// Replies by e-mail to a web customer who left, on when SMTP_URL is set. Wraps the web chat's delivery:
// an agent's reply still reaches the widget through the bus, and ALSO goes into the outbox as an e-mail
// when the customer gave an address and has had no widget socket for EMAIL_AFTER_IDLE_MINUTES, or left it
// as the contact to be answered at (the offline flow).
import fp from 'fastify-plugin';
import nodemailer from 'nodemailer';
import type { ChannelDelivery } from '../../handoff/delivery.js';
import type { Conversation } from '../../store/schema.js';
import { WEB_CHANNEL } from '../webchat/webchat-adapter.js';
import { ResumeTokens } from './resume-tokens.js';
import { EMAIL_CHANNEL, emailSender, type MailTransport } from './sender.js';

const EMAIL = /^[^\s<>()@,;:"]+@[^\s<>()@,;:"]+\.[a-z]{2,}$/i;

/** Where to write: the contact left for the offline flow if it is an address, else the e-mail given at the start. */
export function emailOf(conversation: Conversation): { address: string; offline: boolean } | undefined {
  if (conversation.callback_contact && EMAIL.test(conversation.callback_contact)) return { address: conversation.callback_contact, offline: true };
  if (conversation.claimed_email && EMAIL.test(conversation.claimed_email)) return { address: conversation.claimed_email, offline: conversation.callback_contact !== null };
  return undefined;
}

export interface EmailPluginOptions {
  /** tests may pass a transport; otherwise one is made from SMTP_URL */
  transport?: MailTransport;
}

export default fp<EmailPluginOptions>(
  async (app, options) => {
    const config = app.config.email;
    if (!config.smtpUrl && !options.transport) {
      app.log.info('E-mail replies are off: set SMTP_URL (e.g. smtp://user:password@mail.example.com:587) to send agent replies to customers who left');
      return;
    }
    const transport: MailTransport = options.transport ?? nodemailer.createTransport(config.smtpUrl!);
    const tokens = new ResumeTokens(app.store.db, () => app.clock.now());
    app.outbox.register(EMAIL_CHANNEL, emailSender({ transport, from: config.from, publicUrl: app.config.publicUrl, issueResumeToken: (id) => tokens.issue(id, config.resumeLinkDays) }));
    const web = app.deliveries.for(WEB_CHANNEL);
    const byChatAndEmail: ChannelDelivery = {
      tracksState: web.tracksState,
      async deliver(conversation, message) {
        await web.deliver(conversation, message);
        if (message.author !== 'agent' || message.internal) return;
        const current = (await app.repos.conversations.get(conversation.id)) ?? conversation;
        const to = emailOf(current);
        if (!to) return;
        if (!to.offline && !(await app.customerSockets.goneFor(current.id, config.afterIdleMinutes))) return;
        const agentName = typeof message.payload?.agentName === 'string' ? message.payload.agentName : 'Support';
        await app.outbox.enqueue({
          messageId: message.id,
          conversationId: current.id,
          channel: EMAIL_CHANNEL,
          recipient: to.address,
          body: JSON.stringify({ text: message.text, agentName, locale: current.locale }),
        });
      },
    };
    app.deliveries.register(WEB_CHANNEL, byChatAndEmail);
    if (config.smtpUrl) app.log.info({ smtp: new URL(config.smtpUrl).host, from: config.from }, 'E-mail replies are on');
  },
  { name: 'email-replies', dependencies: ['services', 'handoff', 'outbox', 'webchat'] },
);
