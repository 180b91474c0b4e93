// Sends an outbox job as an e-mail through SMTP (nodemailer). A fresh resume token is made per attempt, so
// the plain token is never stored (the job body holds only the reply). SMTP 5xx refusals fail at once with
// the server's reason; 4xx and network errors are retried by the outbox.
import type { OutboxJob } from '../../outbox/repository.js';
import { DeliveryError, type OutboundSender } from '../../outbox/worker.js';
import { composeReply, conversationLink, type ReplyContent } from './compose.js';

export const EMAIL_CHANNEL = 'email';

/** What nodemailer's transport offers that we use (a port: tests and the plugin pass a real one). */
export interface MailTransport {
  sendMail(mail: { from: string; to: string; subject: string; text: string; html: string }): Promise<{ messageId?: string }>;
}

export interface EmailSenderDeps {
  transport: MailTransport;
  from: string;
  publicUrl: string;
  issueResumeToken(conversationId: string): Promise<string>;
}

export function emailSender(deps: EmailSenderDeps): OutboundSender {
  return {
    async send(job: OutboxJob) {
      const content = JSON.parse(job.body) as ReplyContent;
      const link = conversationLink(deps.publicUrl, job.conversation_id, await deps.issueResumeToken(job.conversation_id));
      const mail = composeReply(content, link);
      try {
        const info = await deps.transport.sendMail({ from: deps.from, to: job.recipient, ...mail });
        return { providerId: info.messageId ?? null };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

export function classify(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; response?: string; message?: string };
  if (typeof e?.responseCode === 'number') {
    const described = `SMTP ${e.responseCode}: ${(e.response ?? e.message ?? '').trim()}`;
    return new DeliveryError(described, e.responseCode >= 500);
  }
  return new DeliveryError(`network error: ${e?.message ?? String(error)}`, false);
}
