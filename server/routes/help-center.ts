// PLACEHOLDER: the help-center plugin; replaced by its implementation.
import fp from 'fastify-plugin';

export default fp(async () => {}, { name: 'help-center', dependencies: ['services'] });
