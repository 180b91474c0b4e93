// GET /metrics: off without METRICS_TOKEN, 401 without the right bearer token, and with it the figures an
// operator watches: requests, bot decisions per channel, the queue, outbox states, the KB.
import { describe, expect, it } from 'vitest';
import { appsPerTest } from './helpers/app.js';
import { loadConfig } from '../server/config.js';

const TOKEN = 'metrics-token-0123456789';
const start = appsPerTest();

describe('GET /metrics', () => {
  it('refuses a guessable METRICS_TOKEN at start, naming the variable', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });

  it('does not exist without METRICS_TOKEN', async () => {
    const { app } = await start(new Date('2026-11-30T10:00:00Z'));
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });

  it('answers 401 without the bearer token, and Prometheus text with it', async () => {
    const { app } = await start(new Date('2026-11-30T10:00:00Z'), { METRICS_TOKEN: TOKEN });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);

    const started = (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } })).json();
    for (const text of ['How long does delivery take?', 'I want to talk to a person']) {
      const sent = await app.inject({ method: 'POST', url: `/api/chat/conversations/${started.conversationId}/messages`, headers: { authorization: `Bearer ${started.token}` }, payload: { text } });
      expect(sent.statusCode).toBe(200);
    }

    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toMatch(/support_desk_http_requests_total\{method="POST",route="\/api\/chat\/conversations\/:id\/messages",status="200"\} 2/);
    expect(text).toMatch(/support_desk_bot_decisions_total\{channel="web",decision="[a-z_]+"\} 1/);
    expect(text).toMatch(/support_desk_queue_length 1/);
    expect(text).toMatch(/support_desk_outbox_messages\{state="queued"\} 0/);
    expect(text).toMatch(/support_desk_kb_articles\{locale="en"\} [1-9]\d*/);
    expect(text).toMatch(/support_desk_kb_problems 0/);
    expect(text).toContain('support_desk_event_bus_lag_seconds');
  });
});
