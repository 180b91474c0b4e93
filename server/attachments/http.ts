// The HTTP side of attachments, shared by the chat and the agent routes: reading an upload (raw body,
// type from the content) and sending a stored file with headers that keep a browser from running it.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AttachmentRepository, AttachmentRef } from './repository.js';
import { ACCEPTED_TYPES, isInlineImage, sanitiseFileName, sniffType } from './sniff.js';

export const UploadHeaders = Type.Object({
  'content-type': Type.Optional(Type.String({ description: 'application/octet-stream (the type is detected from the content, this is not trusted)' })),
  'x-file-name': Type.Optional(Type.String({ maxLength: 1000, description: 'the file name, URL-encoded; sanitised before it is stored' })),
});
export const AttachmentParams = Type.Object({ id: Type.String({ maxLength: 100 }), attachmentId: Type.String({ maxLength: 100 }) });
export const AttachmentJson = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'the file name, sanitised' }),
  type: Type.String({ description: 'detected from the content: image/png, image/jpeg, image/gif, image/webp or application/pdf' }),
  size: Type.Integer({ description: 'bytes' }),
  url: Type.String({ description: 'GET it with the same credentials as the conversation (relative to the server)' }),
});

/** Lets a scope take raw uploads: the body arrives as a Buffer (limit per route with bodyLimit). */
export function acceptRawUploads(scope: FastifyInstance<any, any, any, any, any>) {
  scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

export type UploadResult = { ok: true; ref: Omit<AttachmentRef, 'id'> & { content: Buffer } } | { ok: false; statusCode: 400 | 415; message: string };

/** Checks a raw upload by its bytes; anything but an image or PDF is refused with the reason. */
export function readUpload(body: unknown, fileName: string | undefined): UploadResult {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    return { ok: false, statusCode: 400, message: 'Send the file as the raw request body with Content-Type: application/octet-stream.' };
  }
  const type = sniffType(body);
  if (!type) return { ok: false, statusCode: 415, message: `This file is not a ${ACCEPTED_TYPES} (checked by its content, not its name); other files cannot be attached.` };
  return { ok: true, ref: { name: sanitiseFileName(fileName, type), type, size: body.length, content: body } };
}

/** Sends a stored file: never sniffed, never run (sandboxed, no sources), PDFs only as downloads. */
export async function sendAttachment(reply: FastifyReply, repo: AttachmentRepository, conversationId: string, attachmentId: string) {
  const file = await repo.get(conversationId, attachmentId);
  if (!file) return reply.code(404).send({ error: 'Not Found', message: 'No attachment with this id in this conversation.', statusCode: 404 });
  const disposition = isInlineImage(file.type) ? 'inline' : 'attachment';
  return reply
    .header('content-type', file.type)
    .header('content-length', String(file.size))
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `${disposition}; filename="${file.name}"`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, max-age=3600')
    .header('etag', `"${file.sha256}"`)
    .send(file.content);
}

/** The payload refs of a stored message with the URL under which `base` serves them. */
export function attachmentsOf(payload: unknown, base: string): Array<AttachmentRef & { url: string }> {
  const list = (payload as { attachments?: unknown } | null)?.attachments;
  if (!Array.isArray(list)) return [];
  return list.map((a: any) => ({ id: String(a.id), name: String(a.name), type: String(a.type), size: Number(a.size), url: `${base}/attachments/${encodeURIComponent(String(a.id))}` }));
}
