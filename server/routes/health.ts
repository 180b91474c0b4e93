// Liveness and readiness for load balancers and orchestrators. Ready means serving works: the KB is loaded
// and the database takes a write (every chat turn writes), not only that it answers a select.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';

export default fp(
  async (app) => {
    app.get('/healthz', {
      schema: { tags: ['operations'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    }, async () => ({ status: 'ok' as const }));

    const Readiness = Type.Object({
      status: Type.String(),
      kb: Type.Boolean(),
      database: Type.Boolean({ description: 'the database answers and accepts writes' }),
      reason: Type.Optional(Type.String({ description: 'why not ready' })),
    });
    app.get('/readyz', {
      schema: {
        tags: ['operations'],
        summary: 'The knowledge base is loaded and the database accepts writes',
        description: 'The database check inserts a row and rolls it back: a database that answers reads but refuses writes (read-only file, full disk, read-only replica) is not ready.',
        response: { 200: Readiness, 503: Readiness },
      },
    }, async (request, reply) => {
      const kb = app.kb.isReady();
      const writeProblem = await app.store.writeProblem();
      const database = writeProblem === null;
      const ready = database && kb;
      if (!ready) {
        const reason = [database ? '' : `the database refuses writes: ${writeProblem}`, kb ? '' : 'the knowledge base is not loaded yet'].filter(Boolean).join('; ');
        request.log.warn({ reason }, 'not ready');
        return reply.code(503).send({ status: 'not ready', kb, database, reason });
      }
      return reply.code(200).send({ status: 'ready', kb, database });
    });
  },
  { name: 'health-routes', dependencies: ['services', 'kb'] },
);
