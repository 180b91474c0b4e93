// PLACEHOLDER: the assets plugin; replaced by its implementation.
import fp from 'fastify-plugin';

export default fp(async () => {}, { name: 'assets', dependencies: ['services'] });
