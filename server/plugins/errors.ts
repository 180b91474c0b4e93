// One error handler and one not-found handler: 4xx say what was wrong, 5xx details go to the log only.
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    app.setErrorHandler((error: any, request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return reply.code(status).send({ error: 'Internal Server Error', message: 'Something went wrong on our side. Please try again.', statusCode: status });
      }
      const message = error.validation ? `Invalid request: ${error.message}` : error.message;
      return reply.code(status).send({ error: error.code ?? 'Bad Request', message, statusCode: status });
    });
    app.setNotFoundHandler((request, reply) => {
      reply.code(404).send({ error: 'Not Found', message: `No route ${request.method} ${request.url.split('?')[0]}`, statusCode: 404 });
    });
  },
  { name: 'errors' },
);
