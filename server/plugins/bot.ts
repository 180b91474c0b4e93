// Builds the SupportBot from the app's services: the KB, the handoff port, analytics for search and
// feedback, and conversation/user state on the bot_state table. Channels decorate nothing of this;
// they run `app.bot` through their own adapter with `app.botTranscript` as middleware.
import fp from 'fastify-plugin';
import { ConversationState, UserState } from 'botbuilder';
import { SupportBot } from '../../bot/support-bot.js';
import { TranscriptMiddleware } from '../../bot/transcript-middleware.js';
import type { TranscriptStore } from '../../bot/ports.js';
import { BotStorage } from '../store/bot-storage.js';
import type { Message } from '../store/conversations.js';

declare module 'fastify' {
  interface FastifyInstance {
    bot: SupportBot;
    /** writes every activity to the transcript (store, then publish) before a channel acknowledges it */
    botTranscript: TranscriptMiddleware<Message>;
  }
}

export default fp(
  async (app) => {
    const storage = new BotStorage(app.store.db, () => app.clock.now().toISOString());
    const conversationState = new ConversationState(storage);
    const userState = new UserState(storage);
    const bot = new SupportBot({
      // the bot reads no snippet: it never pays for one
      knowledgeBase: { search: (query, locale, options) => app.kb.search(query, locale, { ...options, snippets: false }), locales: () => app.kb.locales() },
      handoff: app.handoff,
      clock: app.clock,
      conversationState,
      userState,
      searchLog: {
        record: (event) => {
          app.metrics.botDecisions.inc({ channel: event.channel, decision: event.decision ?? 'none' });
          return app.repos.analytics.recordSearch(event);
        },
      },
      feedbackLog: { record: (event) => app.repos.analytics.recordFeedback(event) },
      options: { missesBeforeEscalation: app.config.bot.missesBeforeEscalation },
    });
    const transcript: TranscriptStore<Message> = {
      append: (conversationId, entry) =>
        app.transcript.append(conversationId, { author: entry.author, text: entry.text, payload: entry.payload, externalId: entry.externalId ?? null }),
    };
    app.decorate('bot', bot);
    app.decorate('botTranscript', new TranscriptMiddleware(transcript));
  },
  { name: 'bot', dependencies: ['metrics', 'services', 'kb', 'handoff'] },
);
