// Article feedback is anonymous: a per-IP rate limit keeps one client from stuffing the helpful/not-helpful counts.
// Register it inside the encapsulated scope that holds only the feedback route.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { rateLimitStore } from '../limits/window-counter.js';

/** `namespace` keeps each registration's counts (API, help-center form) apart in the shared store */
export async function limitFeedback(scope: FastifyInstance, namespace: string): Promise<void> {
  await scope.register(rateLimit, {
    global: true,
    max: scope.config.feedbackPerMinutePerIp,
    timeWindow: 60_000,
    store: rateLimitStore(scope.windowCounter, namespace),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `Too much feedback from your address; try again in ${context.after}.`,
    }),
  });
}
