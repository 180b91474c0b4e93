// PLACEHOLDER: decorates `kb` with an empty knowledge base until the KB service lands.
import fp from 'fastify-plugin';
import type { KnowledgeBaseService } from './types.js';

declare module 'fastify' {
  interface FastifyInstance {
    kb: KnowledgeBaseService;
  }
}

export default fp(
  async (app) => {
    const empty: KnowledgeBaseService = {
      isReady: () => true,
      article: () => undefined,
      articles: () => [],
      problems: () => [],
      reload: async () => ({ ok: true, problems: [] }),
      close: async () => {},
      locales: () => ['de', 'en'],
      search: async () => ({ hits: [] }),
    };
    app.decorate('kb', empty);
  },
  { name: 'kb', dependencies: ['services'] },
);
