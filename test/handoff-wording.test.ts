// What a web chat customer reads when the bot hands over: one true hand-over sentence, never two,
// and outside opening hours no promise of a colleague who is not there.
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appsPerTest } from './helpers/app.js';

// Monday 23 Nov 2026 10:00 in Berlin: open; Saturday 21 Nov 2026 18:00 in Berlin: closed
const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
const SATURDAY_EVENING = new Date('2026-11-21T17:00:00Z');
const start = appsPerTest();

async function askForPerson(app: FastifyInstance, locale: string, text: string): Promise<string[]> {
  const opened = (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale } })).json();
  const res = await app.inject({
    method: 'POST',
    url: `/api/chat/conversations/${opened.conversationId}/messages`,
    headers: { authorization: `Bearer ${opened.token}` },
    payload: { text },
  });
  expect(res.statusCode).toBe(200);
  return res.json().messages.map((m: { text: string }) => m.text);
}

describe('hand-over wording on the web', () => {
  it('in opening hours: one sentence hands over, the next says where the customer stands', async () => {
    const { app } = await start(MONDAY_MORNING);
    const texts = await askForPerson(app, 'en', 'I want to talk to a person');
    expect(texts.filter((t) => /passing you on|handing you over|colleague|person from our team/i.test(t))).toHaveLength(1);
    expect(texts.join(' ')).toContain('You are number 1 in the queue.');
    const german = await askForPerson(app, 'de', 'Ich möchte mit einem Mitarbeiter sprechen');
    expect(german.filter((t) => /weiter|Kollege|Menschen/i.test(t))).toHaveLength(1);
  });

  it('outside opening hours: the team is away, and nothing says a colleague is taking over', async () => {
    const { app } = await start(SATURDAY_EVENING);
    const texts = await askForPerson(app, 'en', 'I want to talk to a person');
    expect(texts[0]).toMatch(/^Our team is away right now\. We're back on Monday/);
    expect(texts.join(' ')).not.toMatch(/passing you|colleague|handing you over/i);
    const german = await askForPerson(app, 'de', 'Ich möchte mit einem Mitarbeiter sprechen');
    expect(german.join(' ')).not.toMatch(/weiter|Kollege/i);
    expect(german[0]).toContain('Unser Team ist gerade nicht da');
  });
});
