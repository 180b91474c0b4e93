// /api/agent/conversations/:id/attachments: an agent attaches an image or PDF to a web conversation they
// have (sent as their reply, live to the widget), and reads any conversation's attachments with their session.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES } from '../handoff/auth.js';
import { AgentMessage, Problem, toAgentMessage } from '../handoff/agent-json.js';
import { HandoffError } from '../handoff/service.js';
import { AttachmentRepository } from './repository.js';
import { AttachmentParams, UploadHeaders, acceptRawUploads, readUpload, sendAttachment } from './http.js';

export default async function agentAttachmentRoutes(scope: FastifyInstance) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['agent'];
  const security = [{ agentSession: [] }];
  const config = { roles: ROLES.conversations };
  const attachments = new AttachmentRepository(app.store.db, () => app.clock.now().toISOString());
  acceptRawUploads(app);
  const problem = (statusCode: number, error: string, message: string) => ({ error, message, statusCode });

  app.post(
    '/api/agent/conversations/:id/attachments',
    {
      config,
      bodyLimit: app.config.attachmentMaxBytes,
      schema: {
        tags,
        security,
        summary: 'Send the customer an image or PDF (web chat only)',
        description:
          'Raw body (application/octet-stream), file name URL-encoded in X-File-Name; type detected from the content (PNG, JPEG, GIF, WebP, PDF, else 415); ' +
          'at most ATTACHMENT_MAX_BYTES (else 413). Only the agent the conversation is assigned to may send it.',
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        headers: UploadHeaders,
        response: { 200: Type.Object({ message: AgentMessage }), 400: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem },
      },
    },
    async (request, reply) => {
      const conversation = await app.repos.conversations.get(request.params.id);
      if (!conversation) return reply.code(404).send(problem(404, 'Not Found', 'No such conversation'));
      if (conversation.channel !== 'web') return reply.code(409).send(problem(409, 'Conflict', 'Files can be sent in the web chat only.'));
      const upload = readUpload(request.body, request.headers['x-file-name'] as string | undefined);
      if (!upload.ok) return reply.code(upload.statusCode).send(problem(upload.statusCode, upload.statusCode === 415 ? 'Unsupported Media Type' : 'Bad Request', upload.message));
      const { content, ...meta } = upload.ref;
      // stored before the message, so a widget that sees the message live can fetch the file at once
      const ref = await attachments.add(conversation.id, content, meta.type as any, meta.name);
      try {
        const message = await app.handoff.reply(conversation.id, request.agentSession!.agent, ref.name, { attachments: [ref] });
        await attachments.linkToMessage([ref.id], message.id);
        const agentName = request.agentSession!.agent.display_name;
        return { message: toAgentMessage(message, conversation.locale, { article: () => undefined, agentName: () => agentName }) };
      } catch (error) {
        await attachments.remove(ref.id);
        if (error instanceof HandoffError) return reply.code(error.statusCode as 404 | 409).send(problem(error.statusCode, error.statusCode === 404 ? 'Not Found' : 'Conflict', error.message));
        throw error;
      }
    },
  );

  app.get(
    '/api/agent/conversations/:id/attachments/:attachmentId',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Download an attachment (images inline, PDFs as a download; sandboxed, nosniff)',
        params: AttachmentParams,
        response: { 404: Problem },
      },
    },
    async (request, reply) => sendAttachment(reply, attachments, request.params.id, request.params.attachmentId),
  );
}
