import { describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../server/handoff/passwords.js';
import { formatOpening, isOpen, nextOpening } from '../server/handoff/opening-hours.js';
import { estimateWaitMinutes, DEFAULT_WAIT_MINUTES } from '../server/handoff/wait-estimate.js';
import { findContact, HandoffError, type EscalationRecord } from '../server/handoff/service.js';
import { testConfig } from '../server/config.js';
import { appsPerTest } from './helpers/app.js';
import { webReplies } from '../bot/replies/web.js';
import type { EscalationOutcome } from '../bot/ports.js';

/** What the web chat shows for an outcome, as one string per message. */
const shown = (outcome: EscalationOutcome, locale: string) => webReplies.handoff(outcome, locale).map((a) => a.text ?? '');

// Monday 23 Nov 2026 10:00 in Berlin (09:00 UTC): open (default hours mon-fri 08-20, sat 09-16)
const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
// Saturday 21 Nov 2026 18:00 in Berlin: closed until Monday 08:00
const SATURDAY_EVENING = new Date('2026-11-21T17:00:00Z');

const start = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'admin-password' });

async function newConversation(app: FastifyInstance, locale: string, visitor = `visitor-${Math.random()}`) {
  const customerId = await app.repos.customers.findOrCreate([{ kind: 'web', value: visitor }], 'Kim');
  const conversation = await app.repos.conversations.create({ customerId, channel: 'web', locale });
  await app.transcript.append(conversation.id, { author: 'customer', text: 'Meine Karte ist nicht angekommen' });
  return { ...conversation, customerId };
}

async function agent(app: FastifyInstance, login: string, name: string) {
  return (await app.agents.create({ login, displayName: name, passwordHash: await hashPassword('pw'), role: 'agent' }))!;
}

const ref = (c: { id: string; locale: string }) => ({ conversationId: c.id, channel: 'web', locale: c.locale });
const noContext = { offeredArticleIds: [], feedback: [] };

describe('escalation inside opening hours', () => {
  it('queues the conversation with its reason and what the bot offered, and tells the customer in German where they stand', async () => {
    const { app } = await start(MONDAY_MORNING);
    const conversation = await newConversation(app, 'de');
    const outcome = await app.handoff.escalate(ref(conversation), 'not_helpful', {
      offeredArticleIds: ['card-arrival', 'card-lost'],
      feedback: [{ articleId: 'card-arrival', helpful: false }],
    });

    expect(outcome).toEqual({ kind: 'queued', reason: 'not_helpful', position: 1, waitMinutes: DEFAULT_WAIT_MINUTES });
    expect(shown(outcome, 'de').join(' ')).toContain('Position 1 der Warteschlange');
    expect(shown(outcome, 'de').join(' ')).toContain(`etwa ${DEFAULT_WAIT_MINUTES} Minuten`);
    const stored = await app.repos.conversations.get(conversation.id);
    expect(stored).toMatchObject({ status: 'queued', escalation_reason: 'not_helpful', queued_at: MONDAY_MORNING.toISOString() });
    expect(await app.handoff.isWithHuman(conversation.id)).toBe(true);

    const all = await app.repos.conversations.messages(conversation.id, { includeInternal: true });
    const record = all.find((m) => m.payload?.escalation)?.payload?.escalation as EscalationRecord;
    expect(record).toEqual({ reason: 'not_helpful', offeredArticleIds: ['card-arrival', 'card-lost'], feedback: [{ articleId: 'card-arrival', helpful: false }], offline: false });
    // the record is for agents: the customer's view of the transcript does not contain it
    expect((await app.repos.conversations.messages(conversation.id)).some((m) => m.payload?.escalation)).toBe(false);
  });

  it('keeps the language the bot detected for the agents, when it differs from the one the conversation started with', async () => {
    const { app } = await start(MONDAY_MORNING);
    const conversation = await newConversation(app, 'de');
    const outcome = await app.handoff.escalate({ ...ref(conversation), locale: 'en' }, 'customer_request', noContext);
    expect(shown(outcome, 'en').join(' ')).toMatch(/queue/i);
    expect((await app.repos.conversations.get(conversation.id))?.locale).toBe('en');
  });

  it('tells the next customer, in English, that they are second, with a wait from recent claim times', async () => {
    const { app, clock } = await start(MONDAY_MORNING);
    const anna = await agent(app, 'anna', 'Anna');
    // history: three customers waited 2, 4 and 12 minutes -> median 4
    for (const minutes of [2, 4, 12]) {
      const earlier = await newConversation(app, 'de');
      clock.current = new Date(MONDAY_MORNING.getTime() - 60 * 60_000);
      await app.handoff.escalate(ref(earlier), 'no_answer', noContext);
      clock.current = new Date(clock.current.getTime() + minutes * 60_000);
      await app.handoff.claim(earlier.id, anna);
    }
    clock.current = MONDAY_MORNING;
    const first = await newConversation(app, 'de');
    await app.handoff.escalate(ref(first), 'customer_request', noContext);
    clock.current = new Date(MONDAY_MORNING.getTime() + 1000);
    const second = await newConversation(app, 'en');
    const outcome = await app.handoff.escalate(ref(second), 'customer_request', noContext);
    expect(outcome).toMatchObject({ kind: 'queued', position: 2, waitMinutes: 4 });
    expect(shown(outcome, 'en').join(' ')).toContain('You are number 2 in the queue. The expected wait is about 4 minutes.');
  });

  it('escalating twice changes nothing and repeats where the customer stands', async () => {
    const { app } = await start(MONDAY_MORNING);
    const conversation = await newConversation(app, 'en');
    await app.handoff.escalate(ref(conversation), 'customer_request', noContext);
    const again = await app.handoff.escalate(ref(conversation), 'no_answer', noContext);
    expect(again).toMatchObject({ kind: 'queued', position: 1 });
    expect((await app.repos.conversations.get(conversation.id))?.escalation_reason).toBe('customer_request');
    const records = (await app.repos.conversations.messages(conversation.id, { includeInternal: true })).filter((m) => m.payload?.escalation);
    expect(records).toHaveLength(1);
  });
});

describe('escalation outside opening hours', () => {
  it('gets the offline flow: the customer learns when the team is back, in their language and the team time zone', async () => {
    const { app } = await start(SATURDAY_EVENING);
    const de = await newConversation(app, 'de');
    const outcome = await app.handoff.escalate(ref(de), 'customer_request', noContext);
    expect(outcome).toEqual({ kind: 'offline', reason: 'customer_request', nextOpening: '2026-11-23T07:00:00.000Z', timeZone: 'Europe/Berlin' });
    const [said, status] = shown(outcome, 'de');
    expect(said).toBe('Unser Team ist gerade nicht da. Wir sind ab Montag, 23. November um 08:00 Uhr (Europe/Berlin) wieder für Sie erreichbar.');
    expect(status).toContain('E-Mail-Adresse oder Telefonnummer');
    // no sentence promises a colleague who is not there
    expect(shown(outcome, 'de').join(' ')).not.toMatch(/weiter|Kollege/);
    expect((await app.repos.conversations.get(de.id))?.status).toBe('queued');

    const en = await newConversation(app, 'en');
    const english = await app.handoff.escalate(ref(en), 'no_answer', noContext);
    expect(shown(english, 'en')[0]).toBe("Sorry, I cannot find an answer to that. Our team is away right now. We're back on Monday, November 23 at 08:00 AM (Europe/Berlin time).");
    expect(shown(english, 'en').join(' ')).not.toMatch(/colleague|passing you/);
  });

  it('keeps the e-mail address the customer leaves on the conversation (a claim: never linked to the customer) and confirms once', async () => {
    const { app } = await start(SATURDAY_EVENING);
    const conversation = await newConversation(app, 'de');
    await app.handoff.escalate(ref(conversation), 'customer_request', noContext);
    // the customer's next message goes through the transcript like every message; the handoff picks the contact out of it
    await app.transcript.append(conversation.id, { author: 'customer', text: 'Gern an Kim.Meyer@Example.org, danke.' });
    await vi.waitFor(async () => expect((await app.repos.conversations.get(conversation.id))?.callback_contact).toBe('kim.meyer@example.org'));
    await vi.waitFor(async () => {
      const visible = await app.repos.conversations.messages(conversation.id);
      expect(visible.at(-1)).toMatchObject({ author: 'system', text: 'Danke! Wir antworten Ihnen an kim.meyer@example.org, sobald unser Team wieder da ist.' });
    });
    expect(await app.repos.customers.findByIdentity({ kind: 'email', value: 'kim.meyer@example.org' })).toBeUndefined();
    expect((await app.repos.conversations.get(conversation.id))?.status).toBe('queued');

    // a second contact neither replaces the first nor gets a second confirmation
    expect(await app.handoff.recordCallbackContact(conversation.id, 'oder +49 170 1234567')).toEqual({ recorded: false, contact: '+491701234567' });
    const confirmations = (await app.repos.conversations.messages(conversation.id)).filter((m) => m.payload?.callbackContact);
    expect(confirmations).toHaveLength(1);
  });

  it('never links a phone number that belongs to another customer', async () => {
    const { app } = await start(SATURDAY_EVENING);
    const other = await app.repos.customers.findOrCreate([{ kind: 'phone', value: '+491701234567' }]);
    const conversation = await newConversation(app, 'en');
    await app.handoff.escalate(ref(conversation), 'customer_request', noContext);
    expect(await app.handoff.recordCallbackContact(conversation.id, 'call me on 0049 170 123 45 67')).toEqual({ recorded: true, contact: '+491701234567' });
    expect(await app.repos.customers.findByIdentity({ kind: 'phone', value: '+491701234567' })).toBe(other);
  });
});

describe('agent actions', () => {
  it('claim, reply, note, resolve: the customer sees the agent join and answer, never the note, and is asked for a rating', async () => {
    const { app } = await start(MONDAY_MORNING);
    const anna = await agent(app, 'anna', 'Anna');
    const ben = await agent(app, 'ben', 'Ben');
    const conversation = await newConversation(app, 'en');
    await app.handoff.escalate(ref(conversation), 'customer_request', noContext);

    await app.handoff.claim(conversation.id, anna);
    const lost = await app.handoff.claim(conversation.id, ben).catch((error) => error);
    expect(lost).toBeInstanceOf(HandoffError);
    expect(lost).toMatchObject({ statusCode: 409, assignedAgent: { id: anna.id, name: 'Anna' } });
    await expect(app.handoff.reply(conversation.id, ben, 'me too')).rejects.toMatchObject({ statusCode: 409 });

    await app.handoff.reply(conversation.id, anna, 'Your card is on its way.');
    await app.handoff.note(conversation.id, anna, 'customer seems upset');
    await app.handoff.resolve(conversation.id, anna);

    expect(await app.handoff.isWithHuman(conversation.id)).toBe(false);
    const visible = await app.repos.conversations.messages(conversation.id);
    expect(visible.map((m) => [m.author, m.text])).toEqual([
      ['customer', 'Meine Karte ist nicht angekommen'],
      ['system', 'Anna has joined the conversation.'],
      ['agent', 'Your card is on its way.'],
      ['system', 'This conversation is closed. How did we do? Please rate us from 1 to 5 stars.'],
    ]);
    expect(visible[2].payload).toEqual({ agentName: 'Anna' });
    expect(visible[3].payload).toEqual({ ratingRequest: { min: 1, max: 5 } });
    expect((await app.repos.conversations.get(conversation.id))?.status).toBe('resolved');

    expect(await app.handoff.rate(conversation.id, 6)).toBe(false);
    expect(await app.handoff.rate(conversation.id, 5, 'quick and kind')).toBe(true);
    expect(await app.repos.conversations.get(conversation.id)).toMatchObject({ rating: 5, rating_comment: 'quick and kind' });
  });

  it('hand back returns the conversation to the bot and tells the customer', async () => {
    const { app } = await start(MONDAY_MORNING);
    const anna = await agent(app, 'anna', 'Anna');
    const conversation = await newConversation(app, 'de');
    await app.handoff.escalate(ref(conversation), 'customer_request', noContext);
    await app.handoff.claim(conversation.id, anna);
    await app.handoff.handBack(conversation.id, anna);
    expect(await app.repos.conversations.get(conversation.id)).toMatchObject({ status: 'bot', assigned_agent_id: null });
    expect(await app.handoff.isWithHuman(conversation.id)).toBe(false);
    expect((await app.repos.conversations.messages(conversation.id)).at(-1)?.text).toContain('digitalen Assistenten');
    // and the bot may escalate it again later
    expect((await app.handoff.escalate(ref(conversation), 'no_answer', noContext)).kind).toBe('queued');
    expect((await app.repos.conversations.get(conversation.id))?.status).toBe('queued');
  });

  it('an agent reply on SMS waits in the outbox for the Twilio sender', async () => {
    const { app } = await start(MONDAY_MORNING);
    const anna = await agent(app, 'anna', 'Anna');
    const customerId = await app.repos.customers.findOrCreate([{ kind: 'phone', value: '+491701234567' }]);
    const conversation = await app.repos.conversations.create({ customerId, channel: 'sms', locale: 'de' });
    await app.handoff.escalate({ conversationId: conversation.id, channel: 'sms', locale: 'de' }, 'customer_request', noContext);
    await app.handoff.claim(conversation.id, anna);
    const reply = await app.handoff.reply(conversation.id, anna, 'Hallo!');
    expect(reply.deliveryState).toBe('queued');
  });
});

describe('opening hours', () => {
  const hours = testConfig().openingHours;

  it('knows open and closed times in Berlin, across the switch to summer time', () => {
    expect(isOpen(hours, MONDAY_MORNING)).toBe(true);
    expect(isOpen(hours, SATURDAY_EVENING)).toBe(false);
    // Saturday 28 March 2026, 17:00 CET; Sunday the clocks go forward: Monday 08:00 CEST is 06:00 UTC
    expect(nextOpening(hours, new Date('2026-03-28T16:00:00Z'))?.toISOString()).toBe('2026-03-30T06:00:00.000Z');
    // before opening on a weekday: the same day
    expect(nextOpening(hours, new Date('2026-11-23T05:00:00Z'))?.toISOString()).toBe('2026-11-23T07:00:00.000Z');
  });

  it('skips holidays', () => {
    const christmas = { ...hours, holidays: ['2026-12-24', '2026-12-25'] };
    expect(isOpen(christmas, new Date('2026-12-24T10:00:00Z'))).toBe(false);
    const back = nextOpening(christmas, new Date('2026-12-24T10:00:00Z'))!;
    expect(back.toISOString()).toBe('2026-12-26T08:00:00.000Z'); // Saturday 09:00 CET
    expect(formatOpening(back, 'de', 'Europe/Berlin')).toBe('Samstag, 26. Dezember um 09:00');
  });

  it('follows the configured time zone', async () => {
    const { app } = await start(new Date('2026-11-23T14:00:00Z'), { TIME_ZONE: 'America/New_York', OPENING_HOURS: 'mon-fri 10:00-18:00' });
    // 09:00 in New York: closed, back at 10:00 the same day
    const conversation = await newConversation(app, 'en');
    const outcome = await app.handoff.escalate(ref(conversation), 'customer_request', noContext);
    expect(shown(outcome, 'en')[0]).toBe("Our team is away right now. We're back on Monday, November 23 at 10:00 AM (America/New_York time).");
  });
});

describe('small parts', () => {
  it('estimates the wait as the median of recent waits, with a default before there is history', () => {
    const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min)).toISOString();
    expect(estimateWaitMinutes([])).toBe(DEFAULT_WAIT_MINUTES);
    expect(estimateWaitMinutes([{ queuedAt: at(0), assignedAt: at(3) }, { queuedAt: at(0), assignedAt: at(600) }, { queuedAt: at(0), assignedAt: at(5) }])).toBe(5);
  });

  it('finds contacts the customer wrote, and only links identities it can be sure of', () => {
    expect(findContact('mail: anna@example.com.')).toEqual({ contact: 'anna@example.com', identity: { kind: 'email', value: 'anna@example.com' } });
    expect(findContact('+49 (170) 123-4567')).toEqual({ contact: '+491701234567', identity: { kind: 'phone', value: '+491701234567' } });
    expect(findContact('ruf mich an: 0170 1234567')).toEqual({ contact: '0170 1234567' });
    expect(findContact('my order 12345 is late')).toBeUndefined();
  });
});
