// PLACEHOLDER: the handoff plugin; replaced by its implementation.
import fp from 'fastify-plugin';

export default fp(async () => {}, { name: 'handoff', dependencies: ['services'] });
