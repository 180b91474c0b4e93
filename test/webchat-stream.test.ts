// The chat WebSocket against a listening server, with a real `ws` client.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { tempDir } from './helpers/services.js';

let app: FastifyInstance | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await app?.close();
  app = undefined;
});

async function listen() {
  app = await buildApp(testConfig({ DATABASE_URL: `sqlite:${path.join(tempDir(), 'stream.sqlite')}` }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { app, base: `127.0.0.1:${address.port}` };
}

async function start(app: FastifyInstance) {
  const res = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } });
  return res.json() as { conversationId: string; token: string };
}

/** Opens the stream and collects every event; resolves once connected. */
function connect(url: string): Promise<{ socket: WebSocket; events: any[]; next: (match: (e: any) => boolean) => Promise<any> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    sockets.push(socket);
    const events: any[] = [];
    const waiters: Array<{ match: (e: any) => boolean; resolve: (e: any) => void }> = [];
    socket.on('message', (data) => {
      const event = JSON.parse(String(data));
      events.push(event);
      for (const w of [...waiters]) if (w.match(event)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(event);
    });
    const next = (match: (e: any) => boolean) =>
      new Promise<any>((res, rej) => {
        const found = events.find(match);
        if (found) return res(found);
        waiters.push({ match, resolve: res });
        setTimeout(() => rej(new Error(`no matching event; got ${JSON.stringify(events)}`)), 5000);
      });
    socket.on('open', () => resolve({ socket, events, next }));
    socket.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.on('error', reject);
  });
}

describe('web chat stream', () => {
  it('receives a message sent through the REST API, the bot replies and the status change', async () => {
    const { app, base } = await listen();
    const chat = await start(app);
    const stream = await connect(`ws://${base}/api/chat/conversations/${chat.conversationId}/stream?token=${chat.token}`);
    await stream.next((e) => e.type === 'status' && e.status === 'bot');
    const res = await fetch(`http://${base}/api/chat/conversations/${chat.conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'I want to speak to a human' }),
    });
    expect(res.status).toBe(200);
    const customer = await stream.next((e) => e.type === 'message' && e.message.author === 'customer');
    expect(customer.message).toMatchObject({ seq: 2, text: 'I want to speak to a human' });
    await stream.next((e) => e.type === 'message' && e.message.author === 'system');
    await stream.next((e) => e.type === 'status' && e.status === 'queued');
    expect(stream.events.filter((e) => e.type === 'message').map((e) => e.message.seq)).toEqual(
      [...new Set(stream.events.filter((e) => e.type === 'message').map((e) => e.message.seq))].sort((a, b) => a - b),
    );
  });

  it('pushes agent messages but never internal notes', async () => {
    const { app, base } = await listen();
    const chat = await start(app);
    const stream = await connect(`ws://${base}/api/chat/conversations/${chat.conversationId}/stream?token=${chat.token}`);
    await stream.next((e) => e.type === 'status');
    await app.transcript.append(chat.conversationId, { author: 'agent', text: 'only for agents', internal: true });
    await app.transcript.append(chat.conversationId, { author: 'agent', text: 'Hello, Anna here', payload: { agentName: 'Anna' } });
    const agent = await stream.next((e) => e.type === 'message' && e.message.author === 'agent');
    expect(agent.message).toMatchObject({ text: 'Hello, Anna here', agentName: 'Anna' });
    expect(JSON.stringify(stream.events)).not.toContain('only for agents');
  });

  it('replays the messages after ?after= before live ones', async () => {
    const { app, base } = await listen();
    const chat = await start(app);
    await app.inject({ method: 'POST', url: `/api/chat/conversations/${chat.conversationId}/messages`, headers: { authorization: `Bearer ${chat.token}` }, payload: { text: 'hello' } });
    const stream = await connect(`ws://${base}/api/chat/conversations/${chat.conversationId}/stream?token=${chat.token}&after=1`);
    const replayed = await stream.next((e) => e.type === 'message' && e.message.seq === 3);
    expect(replayed.message.author).toBe('bot');
    expect(stream.events.filter((e) => e.type === 'message').map((e) => e.message.seq)).toEqual([2, 3]);
  });

  it('refuses a missing token (401) and a wrong token (404) before upgrading', async () => {
    const { app, base } = await listen();
    const a = await start(app);
    const b = await start(app);
    await expect(connect(`ws://${base}/api/chat/conversations/${a.conversationId}/stream`)).rejects.toThrow('HTTP 401');
    await expect(connect(`ws://${base}/api/chat/conversations/${a.conversationId}/stream?token=${b.token}`)).rejects.toThrow('HTTP 404');
  });
});
