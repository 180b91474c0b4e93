// Builds the SupportBot from the app's services: the KB, the handoff port, analytics for search and
// feedback, and conversation/user state on the bot_state table. Channels decorate nothing of this;
// they run `app.bot` through their own adapter with `app.botTranscript` as middleware.
import fp from 'fastify-plugin';
import { ConversationState, UserState } from 'botbuilder';
import { SupportBot } from '../../bot/support-bot.js';
import { TranscriptMiddleware } from '../../bot/transcript-middleware.js';
import type { TranscriptStore } from '../../bot/ports.js';
import { BotStorage } from '../store/bot-storage.js';
import { DuplicateMessageError, type Message } from '../store/conversations.js';
import { CustomerInbound } from '../conversations/inbound.js';
import { renderText } from '../../bot/replies/index.js';
import { stringsFor } from '../../bot/strings.js';
import { starterTopics } from '../kb/starter-topics.js';
import { articleRef } from '../kb/channel-forms.js';

declare module 'fastify' {
  interface FastifyInstance {
    bot: SupportBot;
    /** writes every activity to the transcript (store, then publish) before a channel acknowledges it */
    botTranscript: TranscriptMiddleware<Message>;
    /** the one way a customer message arrives, for every channel */
    inbound: CustomerInbound;
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
      learningLog: { record: (event) => app.repos.learned.record(event) },
      turnLog: { record: (turn) => app.repos.turns.record(turn), followUp: (id, f) => app.repos.turns.followUp(id, f) },
      options: { missesBeforeEscalation: app.config.bot.missesBeforeEscalation },
      starterTopics: starterTopics({
        // optional (the greeting goes without topics when it fails): in a savepoint, so a failure here does
        // not abort the greeting turn's transaction on PostgreSQL
        mostAsked: (locale, since, limit) => app.store.savepoint(() => app.repos.analytics.mostAskedArticles(locale, since, limit)),
        articles: (locale) => app.kb.articles(locale).map((article) => articleRef(article, app.config.publicUrl)),
        now: () => app.clock.now(),
      }),
    });
    const transcript: TranscriptStore<Message> = {
      append: (conversationId, entry) =>
        app.transcript.append(conversationId, { author: entry.author, text: entry.text, payload: entry.payload, externalId: entry.externalId ?? null }),
    };
    app.decorate('bot', bot);
    const botTranscript = new TranscriptMiddleware(transcript);
    app.decorate('botTranscript', botTranscript);
    app.decorate(
      'inbound',
      new CustomerInbound({
        repos: app.repos,
        clock: app.clock,
        publicUrl: app.config.publicUrl,
        bot,
        transcriptMiddleware: botTranscript,
        turnLock: app.turnLock,
        savepoint: (work) => app.store.savepoint(work),
        onTurnError: (channel) => async (context, error) => {
          // a retried message that is already stored: nothing ran, the channel answers with the stored turn
          if (error instanceof DuplicateMessageError) throw error;
          app.log.error({ err: error, channel, conversationId: context.activity.conversation?.id }, 'bot turn failed');
          // the conversation's language (the activity names one only when the channel states it)
          const conversationId = context.activity.conversation?.id;
          const stored = conversationId ? await app.repos.conversations.get(conversationId).catch(() => undefined) : undefined;
          const locale = context.activity.locale ?? stored?.locale ?? app.kb.locales()[0] ?? 'en';
          // the customer's message is stored; tell them, through the transcript, that the reply failed
          await context.sendActivities(renderText(channel, stringsFor(locale).somethingWentWrong, { locale, author: 'system' })).catch(() => {});
        },
      }),
    );
  },
  { name: 'bot', dependencies: ['metrics', 'services', 'kb', 'handoff'] },
);
