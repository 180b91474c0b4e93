// Learned evidence from agents: when an agent's reply sends a KB article (the console's "Insert" puts its
// link in the reply), the customer's question before it is evidence for that article. Listens on the
// event bus, after the reply is stored and delivered: nothing on the agent's request path waits for it.
import fp from 'fastify-plugin';
import type { Message } from '../store/conversations.js';

/** Article links as the KB's search hits give them: /help/articles/<id>?lang=<locale> */
const ARTICLE_LINK = /\/help\/articles\/([^?\s#/]+)\?lang=([A-Za-z_-]{2,20})/g;
/** a customer message shorter than this is a "hello" or "yes", not a question */
const MIN_QUESTION_WORDS = 3;

/** The articles an agent's reply sends, as [id, locale], in order, without repeats. */
export function linkedArticles(text: string): Array<{ id: string; locale: string }> {
  const found = new Map<string, { id: string; locale: string }>();
  for (const match of text.matchAll(ARTICLE_LINK)) {
    let id: string;
    try {
      id = decodeURIComponent(match[1]);
    } catch {
      continue;
    }
    found.set(`${match[2]}/${id}`, { id, locale: match[2] });
  }
  return [...found.values()];
}

/** The customer's last question before the agent's message: typed (not a button), a few words at least. */
export function questionBefore(messages: Message[], seq: number): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.seq >= seq) continue;
    if (m.author === 'agent' && !m.internal) return undefined; // answered already: older questions are not this reply's
    if (m.author !== 'customer' || m.payload?.action !== undefined) continue;
    if (m.text.trim().split(/\s+/).length >= MIN_QUESTION_WORDS) return m.text;
  }
  return undefined;
}

export default fp(
  async (app) => {
    const learnFrom = async (message: Message) => {
      const articles = linkedArticles(message.text).filter((a) => app.kb.article(a.id, a.locale));
      if (articles.length === 0) return;
      const question = questionBefore(await app.repos.conversations.messages(message.conversationId), message.seq);
      if (!question) return;
      for (const a of articles) {
        await app.repos.learned.record({ locale: a.locale, articleId: a.id, question, source: 'agent_insert', conversationId: message.conversationId });
      }
    };
    const unsubscribe = app.bus.subscribe('*', (event) => {
      if (event.type !== 'message' || event.message.author !== 'agent' || event.message.internal) return;
      learnFrom(event.message).catch((error) => app.log.error({ err: error }, 'could not learn from an agent reply'));
    });
    app.addHook('onClose', async () => unsubscribe());
  },
  { name: 'kb-learning', dependencies: ['services', 'kb'] },
);
