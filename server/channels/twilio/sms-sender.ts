// Sends an outbox job as an SMS with the REST API (messages.create, with a status callback), and tells
// the outbox which failures are worth a retry: 429 (after Retry-After), 5xx and network errors. Any other
// refusal (21610 unsubscribed, 21211 invalid number, …) fails at once with Twilio's reason.
import type { OutboxJob } from '../../outbox/repository.js';
import { DeliveryError, type OutboundSender } from '../../outbox/worker.js';
import { TwilioApiError, type TwilioClient } from './client.js';

const KNOWN: Record<number, string> = {
  21610: 'the recipient unsubscribed (replied STOP)',
  21211: 'not a valid phone number',
  21614: 'not a mobile number',
  21408: 'no permission to send to this region',
};

export interface SmsSenderDeps {
  client: TwilioClient;
  from: string;
  statusCallback: string;
  isOptedOut(phone: string): Promise<boolean>;
}

export function smsSender(deps: SmsSenderDeps): OutboundSender {
  return {
    async send(job: OutboxJob) {
      // Twilio would refuse too (21610); failing here says why in our words, without a request
      if (await deps.isOptedOut(job.recipient)) throw new DeliveryError('not sent: the customer opted out of SMS (sent STOP)', true);
      try {
        const message = await deps.client.messages.create({ from: deps.from, to: job.recipient, body: job.body, statusCallback: deps.statusCallback });
        return { providerId: message.sid };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

export function classify(error: unknown): DeliveryError {
  if (error instanceof TwilioApiError) {
    const described = `Twilio ${error.code ?? `HTTP ${error.status}`}: ${error.code && KNOWN[error.code] ? KNOWN[error.code] : error.message}`;
    if (error.status === 429) return new DeliveryError(described, false, error.retryAfterSeconds);
    if (error.status >= 500) return new DeliveryError(described, false, error.retryAfterSeconds);
    return new DeliveryError(described, true);
  }
  return new DeliveryError(`network error: ${(error as Error)?.message ?? String(error)}`, false);
}
