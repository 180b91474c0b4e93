// Every Twilio webhook must carry a valid X-Twilio-Signature. Twilio signs the URL it was told to call,
// the public one: behind a proxy the URL this process sees differs, so the check uses PUBLIC_URL + path.
import twilio from 'twilio';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function requireTwilioSignature(authToken: string, publicUrl: string) {
  return async function checkSignature(request: FastifyRequest, reply: FastifyReply) {
    const signature = request.headers['x-twilio-signature'];
    const url = `${publicUrl}${request.url}`;
    const params = (request.body ?? {}) as Record<string, unknown>;
    if (typeof signature !== 'string' || !twilio.validateRequest(authToken, signature, url, params)) {
      request.log.warn({ url }, 'Twilio webhook refused: missing or wrong X-Twilio-Signature');
      return reply.code(403).send({ error: 'Forbidden', message: 'Missing or invalid X-Twilio-Signature for this URL.', statusCode: 403 });
    }
  };
}
