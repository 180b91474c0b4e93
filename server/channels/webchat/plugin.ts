// PLACEHOLDER: the webchat plugin; replaced by its implementation.
import fp from 'fastify-plugin';

export default fp(async () => {}, { name: 'webchat', dependencies: ['services'] });
