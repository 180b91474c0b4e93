// Liveness and readiness for load balancers and orchestrators.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';

export default fp(
  async (app) => {
    app.get('/healthz', {
      schema: { tags: ['operations'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    }, async () => ({ status: 'ok' as const }));

    app.get('/readyz', {
      schema: {
        tags: ['operations'],
        summary: 'The knowledge base is loaded and the database answers',
        response: {
          200: Type.Object({ status: Type.String(), kb: Type.Boolean(), database: Type.Boolean() }),
          503: Type.Object({ status: Type.String(), kb: Type.Boolean(), database: Type.Boolean() }),
        },
      },
    }, async (_request, reply) => {
      const database = await app.store.ping();
      const kb = app.kb.isReady();
      const ready = database && kb;
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', kb, database });
    });
  },
  { name: 'health-routes', dependencies: ['services', 'kb'] },
);
