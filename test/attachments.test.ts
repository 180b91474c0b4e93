import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appsPerTest } from './helpers/app.js';
import { addAgent, agentOnline, logIn } from './helpers/agents.js';
import { dialects, storePerTest } from './helpers/services.js';
import { AttachmentRepository } from '../server/attachments/repository.js';
import { ConversationRepository } from '../server/store/conversations.js';
import { CustomerRepository } from '../server/store/customers.js';

const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
const startAt = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'x', ATTACHMENT_MAX_BYTES: '2000' });
const start = () => startAt(MONDAY_MORNING);

// a 1×1 PNG, and a minimal PDF
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function chat(app: FastifyInstance) {
  const started = (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } })).json();
  return { id: started.conversationId as string, token: started.token as string };
}

function upload(app: FastifyInstance, c: { id: string; token: string }, content: Buffer, name: string, contentType = 'application/octet-stream') {
  return app.inject({
    method: 'POST',
    url: `/api/chat/conversations/${c.id}/attachments`,
    headers: { authorization: `Bearer ${c.token}`, 'content-type': contentType, 'x-file-name': encodeURIComponent(name) },
    payload: content,
  });
}

describe('attachments in the web chat', () => {
  it('a customer uploads an image: stored as their message, the agent sees it and downloads the same bytes', async () => {
    const { app } = await start();
    await agentOnline(app, (await addAgent(app, 'anna', 'Anna')).id);
    const anna = await logIn(app, 'anna');
    const c = await chat(app);
    const response = await upload(app, c, PNG, '../../etc/My Screenshot<script>.png');
    expect(response.statusCode, response.body).toBe(201);
    const { received, attachment } = response.json();
    expect(attachment).toMatchObject({ type: 'image/png', size: PNG.length, name: 'My Screenshot_script_.png' });
    expect(received).toMatchObject({ author: 'customer', attachments: [attachment] });
    expect(attachment.url).toBe(`/api/chat/conversations/${c.id}/attachments/${attachment.id}`);

    // the customer reads it back with the token; served as the detected type, never sniffed, sandboxed
    const own = await app.inject({ method: 'GET', url: attachment.url, headers: { authorization: `Bearer ${c.token}` } });
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.equals(PNG)).toBe(true);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    expect(own.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(own.headers['content-disposition']).toMatch(/^inline/);
    // the history carries it too
    const history = (await app.inject({ method: 'GET', url: `/api/chat/conversations/${c.id}/messages`, headers: { authorization: `Bearer ${c.token}` } })).json();
    expect(history.messages.at(-1).attachments[0].id).toBe(attachment.id);

    // the agent sees it in the transcript, with a URL their session opens
    const detail = (await anna.get(`/api/agent/conversations/${c.id}`)).json();
    const shown = detail.messages.find((m: any) => m.attachments);
    expect(shown.attachments[0]).toMatchObject({ id: attachment.id, type: 'image/png', url: `/api/agent/conversations/${c.id}/attachments/${attachment.id}` });
    const asAgent = await anna.get(shown.attachments[0].url);
    expect(asAgent.statusCode).toBe(200);
    expect(asAgent.rawPayload.equals(PNG)).toBe(true);
    // without a session: nothing
    expect((await app.inject({ method: 'GET', url: shown.attachments[0].url })).statusCode).toBe(401);
  });

  it("is refused with another conversation's token, without a token, and under another conversation's id", async () => {
    const { app } = await start();
    const mine = await chat(app);
    const other = await chat(app);
    const { attachment } = (await upload(app, mine, PNG, 'a.png')).json();
    const withOtherToken = await app.inject({ method: 'GET', url: attachment.url, headers: { authorization: `Bearer ${other.token}` } });
    expect(withOtherToken.statusCode).toBe(404);
    expect(withOtherToken.rawPayload.equals(PNG)).toBe(false);
    expect((await app.inject({ method: 'GET', url: attachment.url })).statusCode).toBe(401);
    // the other conversation's own URL with the attachment id: not theirs
    const guessed = await app.inject({ method: 'GET', url: `/api/chat/conversations/${other.id}/attachments/${attachment.id}`, headers: { authorization: `Bearer ${other.token}` } });
    expect(guessed.statusCode).toBe(404);
    // and nobody may upload into a conversation without its token
    expect((await upload(app, { id: mine.id, token: other.token }, PNG, 'x.png')).statusCode).toBe(404);
  });

  it('refuses HTML, SVG (even named .png and sent as image/png) and unknown files with 415 and a reason; stores nothing', async () => {
    const { app } = await start();
    const c = await chat(app);
    const html = await upload(app, c, Buffer.from('<!doctype html><script>alert(1)</script>'), 'page.html');
    expect(html.statusCode).toBe(415);
    expect(html.json().message).toContain('PNG, JPEG, GIF, WebP or PDF');
    const svg = await upload(app, c, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'cute.png');
    expect(svg.statusCode).toBe(415);
    expect(svg.json().message).toContain('checked by its content');
    // a client that claims image/png is not believed either: only raw octet-stream bodies are taken
    expect((await upload(app, c, Buffer.from('<svg/>'), 'cute.png', 'image/png')).statusCode).toBe(415);
    expect((await upload(app, c, Buffer.from('MZ\x90\x00 not a picture'), 'tool.exe')).statusCode).toBe(415);
    const history = (await app.inject({ method: 'GET', url: `/api/chat/conversations/${c.id}/messages`, headers: { authorization: `Bearer ${c.token}` } })).json();
    expect(history.messages.some((m: any) => m.attachments)).toBe(false);
    expect(await app.store.db.selectFrom('attachments').select('id').execute()).toEqual([]);
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES with 413', async () => {
    const { app } = await start();
    const c = await chat(app);
    const big = Buffer.concat([PNG, Buffer.alloc(2001)]);
    const response = await upload(app, c, big, 'big.png');
    expect(response.statusCode).toBe(413);
    expect(await app.store.db.selectFrom('attachments').select('id').execute()).toEqual([]);
  });

  it('an agent who has the conversation sends a PDF: the customer gets it live in the history, as a download', async () => {
    const { app } = await start();
    await agentOnline(app, (await addAgent(app, 'anna', 'Anna')).id);
    await agentOnline(app, (await addAgent(app, 'ben', 'Ben')).id);
    const anna = await logIn(app, 'anna');
    const ben = await logIn(app, 'ben');
    const c = await chat(app);
    await app.handoff.escalate({ conversationId: c.id, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
    expect((await anna.post(`/api/agent/conversations/${c.id}/claim`)).statusCode).toBe(200);
    const headers = { 'content-type': 'application/octet-stream', 'x-file-name': 'invoice.pdf' };
    // only the agent who has it
    expect((await ben.post(`/api/agent/conversations/${c.id}/attachments`, PDF, headers)).statusCode).toBe(409);
    expect((await anna.post(`/api/agent/conversations/${c.id}/attachments`, Buffer.from('<svg/>'), headers)).statusCode).toBe(415);
    const sent = await anna.post(`/api/agent/conversations/${c.id}/attachments`, PDF, headers);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().message).toMatchObject({ author: 'agent', agentName: 'Anna', attachments: [{ name: 'invoice.pdf', type: 'application/pdf' }] });
    const history = (await app.inject({ method: 'GET', url: `/api/chat/conversations/${c.id}/messages`, headers: { authorization: `Bearer ${c.token}` } })).json();
    const file = history.messages.at(-1).attachments[0];
    const download = await app.inject({ method: 'GET', url: file.url, headers: { authorization: `Bearer ${c.token}` } });
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe('attachment; filename="invoice.pdf"');
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(await app.store.db.selectFrom('attachments').select('id').execute()).toHaveLength(1);
  });
});

describe.each(dialects)('attachments stored on $name', (dialect) => {
  const stores = storePerTest(dialect);
  it('keeps the bytes exactly (bytea / blob) and finds them only under their conversation', async (ctx) => {
    const store = await stores.open(ctx);
    const now = () => new Date().toISOString();
    const customers = new CustomerRepository(store.db, now);
    const conversations = new ConversationRepository(store.db, now);
    const customerId = await customers.findOrCreate([{ kind: 'web', value: 'visitor-bytes' }]);
    const a = await conversations.create({ customerId, channel: 'web', locale: 'en' });
    const b = await conversations.create({ customerId, channel: 'web', locale: 'en' });
    const repo = new AttachmentRepository(store.db, now);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 1, 254]);
    const ref = await repo.add(a.id, bytes, 'image/png', 'x.png');
    const found = await repo.get(a.id, ref.id);
    expect(found!.content.equals(bytes)).toBe(true);
    expect(found!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await repo.get(b.id, ref.id)).toBeUndefined();
  });
});
