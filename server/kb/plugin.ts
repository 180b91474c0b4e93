// Decorates `app.kb` with the knowledge base service: loaded before the app serves, watched for edits
// when KB_WATCH is on, closed with the app.
import fp from 'fastify-plugin';
import type { KnowledgeBaseService } from './types.js';
import { createKnowledgeBase } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    kb: KnowledgeBaseService;
  }
}

export default fp(
  async (app) => {
    const kbLog = app.log.child({ component: 'kb' });
    const kb = await createKnowledgeBase({
      kbDir: app.config.kbDir,
      publicUrl: app.config.publicUrl,
      watch: app.config.kbWatch,
      cacheDir: app.config.kbCacheDir,
      learnedQuestions: (locale) => app.repos.learned.forLocale(locale),
      relearnEveryMs: app.config.kbRelearnHours * 3_600_000,
      logger: {
        info: (message) => kbLog.info(message),
        warn: (message) => kbLog.warn(message),
        error: (details, message) => kbLog.error(details, message),
      },
    });
    app.decorate('kb', kb);
    app.addHook('onClose', async () => kb.close());
  },
  { name: 'kb', dependencies: ['services'] },
);
