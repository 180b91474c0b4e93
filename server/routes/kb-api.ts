// PLACEHOLDER: the kb-api plugin; replaced by its implementation.
import fp from 'fastify-plugin';

export default fp(async () => {}, { name: 'kb-api', dependencies: ['services'] });
