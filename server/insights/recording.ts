// Insights recording that listens on the event bus: an agent reply that sends KB articles marks the
// conversation's unanswered bot turns with the article ("the article an agent ended up sending").
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    const unsubscribe = app.bus.subscribe('*', (event) => {
      if (event.type !== 'message' || event.message.author !== 'agent' || event.message.internal) return;
      const articles = (event.message.payload?.kbArticles ?? []) as Array<{ id: string }>;
      const [first] = articles;
      if (!first) return;
      app.repos.turns.agentSent(event.message.conversationId, first.id).catch((error) => app.log.error({ err: error }, 'could not record the article an agent sent'));
    });
    app.addHook('onClose', async () => unsubscribe());
  },
  { name: 'insights-recording', dependencies: ['services'] },
);
