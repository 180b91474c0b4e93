// Phone calls through Twilio (IVR): POST /twilio/voice (a call arrives: greeting and <Gather>),
// POST /twilio/voice/gather (what the caller said or pressed), POST /twilio/voice/callback (the callback offer
// out of hours), POST /twilio/voice/wait (the hold message while queued), POST /twilio/voice/status (how the
// call ended). The bot answers; this file only turns Twilio's parameters into turns and turns into TwiML.
// In opening hours a transfer is <Dial> to AGENT_PHONE_NUMBER when set, else <Enqueue> into the queue "support".
import twilio from 'twilio';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TwilioConfig } from '../config.js';
import type { Message } from '../store/conversations.js';
import type { Conversation } from '../store/schema.js';
import { requireTwilioSignature } from './twilio/signature.js';
import { channelLocale, toE164 } from './twilio/phone.js';
import { VoiceActions, voiceWords } from '../../bot/replies/voice.js';
import { Actions } from '../../bot/understanding.js';
import { language } from '../../bot/replies/handoff-words.js';
import { SMS_CHANNEL } from './twilio-sms.js';

export const VOICE_CHANNEL = 'voice';
/** no input twice in a row: the caller is handed to a person */
const MAX_SILENCES = 2;

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;

const ErrorReply = Type.Object({ error: Type.String(), message: Type.String(), statusCode: Type.Integer() });
/** seconds of silence after the caller spoke that end a spoken answer (Twilio: a whole number when a speechModel is set) */
const SPEECH_END_SILENCE_SECONDS = 2;
const Twiml = Type.String({ description: 'TwiML <Response>' });
const CallParams = Type.Object({ CallSid: Type.String({ minLength: 1, maxLength: 64 }), From: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: true });
const GatherParams = Type.Object(
  {
    CallSid: Type.String({ minLength: 1, maxLength: 64 }),
    SpeechResult: Type.Optional(Type.String({ maxLength: 2000 })),
    Confidence: Type.Optional(Type.String({ maxLength: 20 })),
    Digits: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: true },
);
const StepQuery = Type.Object({ c: Type.String({ maxLength: 100 }), silences: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })) });

const SPOKEN = {
  en: {
    notCaught: "Sorry, I didn't catch that.",
    smsSent: "We've sent you a text message with the link.",
    noSms: 'Sorry, I cannot send a text message to this number.',
    anythingElse: 'Anything else? Ask your question, or press 0 for a person.',
    callbackRecorded: "Thank you. We'll call you back at this number as soon as our team is back. Goodbye!",
    goodbye: 'Thank you for calling. Goodbye!',
    hold: 'Please hold, a colleague will be with you shortly.',
    smsLink: (title: string, link: string) => `${title}: ${link}`,
  },
  de: {
    notCaught: 'Entschuldigung, das habe ich nicht verstanden.',
    smsSent: 'Wir haben Ihnen den Link per SMS geschickt.',
    noSms: 'An diese Nummer kann ich leider keine SMS schicken.',
    anythingElse: 'Noch etwas? Stellen Sie Ihre Frage, oder drücken Sie die 0 für einen Mitarbeiter.',
    callbackRecorded: 'Danke. Wir rufen Sie unter dieser Nummer zurück, sobald unser Team wieder da ist. Auf Wiederhören!',
    goodbye: 'Danke für Ihren Anruf. Auf Wiederhören!',
    hold: 'Bitte bleiben Sie dran, ein Kollege ist gleich für Sie da.',
    smsLink: (title: string, link: string) => `${title}: ${link}`,
  },
};

export async function twilioVoice(scope: FastifyInstance, { twilioConfig }: { twilioConfig: TwilioConfig }) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const checkSignature = requireTwilioSignature(twilioConfig.authToken, app.config.publicUrl);
  const base = app.config.publicUrl;

  const speechLanguage = (locale: string) => (language(locale) === 'de' ? 'de-DE' : 'en-US');
  const voice = (locale: string) => twilioConfig.voices[language(locale)] as any;
  const spoken = (locale: string) => SPOKEN[language(locale)];

  /** Speech hints from the KB's titles: the recogniser then expects the words our articles use. */
  function hints(locale: string): string {
    const titles = app.kb.articles(locale).map((a) => a.title.replace(/[,?!.]/g, '').slice(0, 100));
    return titles.slice(0, 100).join(', ');
  }

  function say(target: VoiceResponse | ReturnType<VoiceResponse['gather']>, locale: string, texts: string[]) {
    for (const text of texts.filter(Boolean)) target.say({ voice: voice(locale), language: speechLanguage(locale) as any }, text);
  }

  /** The prompts as a <Gather> for speech or a key; no input comes back to the action too (actionOnEmptyResult). */
  function gather(conversation: Conversation, locale: string, texts: string[], silences = 0): string {
    const response = new twilio.twiml.VoiceResponse();
    const input = response.gather({
      input: ['speech', 'dtmf'],
      language: speechLanguage(locale) as any,
      // a generic model for phone audio; with a speechModel set, Twilio requires speechTimeout to be a
      // whole number of seconds ("auto" raises warning 13335), and `enhanced` is deprecated
      speechModel: 'phone_call',
      speechTimeout: String(SPEECH_END_SILENCE_SECONDS),
      timeout: 6,
      numDigits: 1,
      hints: hints(locale),
      actionOnEmptyResult: true,
      action: `${base}/twilio/voice/gather?c=${encodeURIComponent(conversation.id)}&silences=${silences}`,
      method: 'POST',
    });
    say(input, locale, texts);
    return response.toString();
  }

  function spokenTexts(messages: Message[]): string[] {
    return messages.filter((m) => !m.internal && (m.author === 'bot' || m.author === 'system')).map((m) => m.text);
  }

  /** Stores what the caller heard (a prompt the channel says itself, not the bot). */
  async function prompt(conversation: Conversation, text: string, payload: Record<string, unknown> | null = null): Promise<void> {
    await app.transcript.append(conversation.id, { author: 'bot', text, payload });
  }

  /** After a turn: transfer or callback offer when a person has the call now, else the next question. */
  async function next(conversation: Conversation, locale: string, texts: string[], silences = 0): Promise<string> {
    const current = (await app.repos.conversations.get(conversation.id))!;
    if (current.status !== 'queued' && current.status !== 'assigned') return gather(current, locale, texts, silences);
    const response = new twilio.twiml.VoiceResponse();
    if (!app.handoff.isOpen()) {
      const offer = response.gather({ input: ['dtmf'], numDigits: 1, timeout: 8, actionOnEmptyResult: true, action: `${base}/twilio/voice/callback?c=${encodeURIComponent(current.id)}`, method: 'POST' });
      say(offer, locale, texts);
      return response.toString();
    }
    say(response, locale, texts);
    if (twilioConfig.agentPhoneNumber) {
      response.dial({ callerId: twilioConfig.phoneNumber }, twilioConfig.agentPhoneNumber);
      await app.transcript.append(current.id, { author: 'system', text: `Call transferred to ${twilioConfig.agentPhoneNumber}`, internal: true, payload: { callTransfer: 'dial' } });
    } else {
      response.enqueue({ waitUrl: `${base}/twilio/voice/wait?c=${encodeURIComponent(current.id)}`, waitUrlMethod: 'POST' }, 'support');
      await app.transcript.append(current.id, { author: 'system', text: 'Call waiting in the Twilio queue "support"', internal: true, payload: { callTransfer: 'enqueue' } });
    }
    return response.toString();
  }

  /** The call's conversation: the one this CallSid opened, nothing else (the id in the action URL is ours, but checked). */
  async function voiceConversation(id: string, callSid: string, reply: FastifyReply): Promise<Conversation | undefined> {
    const conversation = await app.repos.conversations.get(id);
    if (conversation?.channel === VOICE_CHANNEL && (await app.repos.conversations.messageByExternalId(conversation.id, callSid))) return conversation;
    reply.code(404).send({ error: 'Not Found', message: 'No call with this id.', statusCode: 404 });
    return undefined;
  }

  /** Press 2: the article just answered goes to the caller by SMS, through the outbox. */
  async function textTheLink(conversation: Conversation, locale: string): Promise<string> {
    const recent = await app.repos.conversations.messages(conversation.id, { afterSeq: Math.max(0, conversation.last_seq - 10) });
    const article = (recent.reverse().find((m) => Array.isArray(m.payload?.articles))?.payload?.articles as Array<{ title: string; url: string; shortUrl?: string }> | undefined)?.[0];
    if (!article || !conversation.channel_address) return spoken(locale).noSms;
    const body = spoken(locale).smsLink(article.title, article.shortUrl ?? article.url);
    const message = await app.transcript.append(conversation.id, { author: 'bot', text: body, payload: { decision: 'sms_link', articles: [article] }, deliveryState: 'queued' });
    await app.outbox.enqueue({ messageId: message.id, conversationId: conversation.id, channel: SMS_CHANNEL, recipient: conversation.channel_address, body });
    return spoken(locale).smsSent;
  }

  app.post(
    '/twilio/voice',
    {
      preValidation: checkSignature,
      schema: { tags: ['twilio'], summary: 'Twilio webhook: a call arrives (greeting and <Gather>)', body: CallParams, response: { 200: Twiml, 403: ErrorReply } },
    },
    async (request, reply) => {
      const { CallSid } = request.body;
      const from = toE164(request.body.From);
      reply.type('text/xml');
      const locales = app.kb.locales();
      // a retried webhook continues the call it already opened
      const known = await app.repos.conversations.findByExternalId(CallSid);
      if (known) {
        const conversation = (await app.repos.conversations.get(known.conversationId))!;
        return gather(conversation, conversation.locale, [voiceWords(conversation.locale).askOrZero]);
      }
      const locale = channelLocale(twilioConfig.locale, from ?? '', locales) ?? (locales.includes('en') ? 'en' : (locales[0] ?? 'en'));
      const customerId = await app.inbound.identify(from ? [{ kind: 'phone', value: from }] : []);
      const conversation = await app.inbound.open({ customerId, channel: VOICE_CHANNEL, locale, channelAddress: from ?? null });
      await app.transcript.append(conversation.id, { author: 'system', text: `Incoming call from ${from ?? 'a withheld number'}`, internal: true, externalId: CallSid, payload: { call: { from: from ?? null } } });
      const { replies } = await app.inbound.greet(conversation, { locale });
      return gather(conversation, locale, spokenTexts(replies));
    },
  );

  app.post(
    '/twilio/voice/gather',
    {
      preValidation: checkSignature,
      schema: { tags: ['twilio'], summary: "Twilio <Gather> action: the caller's speech or key", querystring: StepQuery, body: GatherParams, response: { 200: Twiml, 403: ErrorReply, 404: ErrorReply } },
    },
    async (request, reply) => {
      const conversation = await voiceConversation(request.query.c, request.body.CallSid, reply);
      if (!conversation) return reply;
      reply.type('text/xml');
      const locale = conversation.locale;
      const speech = request.body.SpeechResult?.trim();
      const digits = request.body.Digits?.trim();
      // a retried step (Twilio's idempotency token) is answered with what followed it the first time
      const token = request.headers['i-twilio-idempotency-token'];
      const externalId = typeof token === 'string' && token ? `${request.body.CallSid}:${token}` : undefined;
      if (externalId) {
        const seen = await app.repos.conversations.findByExternalId(externalId);
        if (seen) {
          const after = await app.repos.conversations.messages(conversation.id, { afterSeq: seen.seq });
          return next(conversation, locale, spokenTexts(after));
        }
      }

      if (!speech && !digits) {
        const silences = (request.query.silences ?? 0) + 1;
        await app.transcript.append(conversation.id, { author: 'system', text: 'No input from the caller', internal: true, externalId, payload: { input: { kind: 'none' } } });
        if (silences < MAX_SILENCES) {
          const again = `${spoken(locale).notCaught} ${voiceWords(locale).askOrZero}`;
          await prompt(conversation, again, { menu: { '0': Actions.human } });
          return gather(conversation, locale, [again], silences);
        }
        const { replies } = await app.inbound.receive(conversation, { text: '', action: Actions.human, locale });
        return next(conversation, locale, spokenTexts(replies));
      }

      if (digits) {
        const recent = await app.repos.conversations.messages(conversation.id, { afterSeq: Math.max(0, conversation.last_seq - 10) });
        const menu = (recent.reverse().find((m) => m.author === 'bot' && m.payload?.menu)?.payload?.menu ?? {}) as Record<string, string>;
        const action = digits === '0' ? Actions.human : menu[digits.slice(0, 1)];
        if (action === VoiceActions.smsLink) {
          await app.transcript.append(conversation.id, { author: 'customer', text: digits, externalId, payload: { action, input: { kind: 'digits' } } });
          const said = await textTheLink(conversation, locale);
          const text = `${said} ${spoken(locale).anythingElse}`;
          await prompt(conversation, text, { menu: { '0': Actions.human } });
          return gather(conversation, locale, [text]);
        }
        if (!action) {
          const again = `${spoken(locale).notCaught} ${voiceWords(locale).askOrZero}`;
          await app.transcript.append(conversation.id, { author: 'customer', text: digits, externalId, payload: { input: { kind: 'digits' } } });
          await prompt(conversation, again, { menu: { '0': Actions.human } });
          return gather(conversation, locale, [again]);
        }
        const { replies } = await app.inbound.receive(conversation, { text: digits, action, externalId, locale, extra: { input: { kind: 'digits' } } });
        return next(conversation, locale, spokenTexts(replies));
      }

      const confidence = Number(request.body.Confidence);
      const { replies } = await app.inbound.receive(conversation, {
        text: speech!,
        externalId,
        locale,
        extra: { input: { kind: 'speech', ...(Number.isFinite(confidence) ? { confidence } : {}) } },
      });
      return next(conversation, locale, spokenTexts(replies));
    },
  );

  app.post(
    '/twilio/voice/callback',
    {
      preValidation: checkSignature,
      schema: { tags: ['twilio'], summary: 'Out of hours: the caller accepts (1) or declines the callback', querystring: StepQuery, body: GatherParams, response: { 200: Twiml, 403: ErrorReply, 404: ErrorReply } },
    },
    async (request, reply) => {
      const conversation = await voiceConversation(request.query.c, request.body.CallSid, reply);
      if (!conversation) return reply;
      reply.type('text/xml');
      const locale = conversation.locale;
      const digits = request.body.Digits?.trim() ?? '';
      const response = new twilio.twiml.VoiceResponse();
      if (digits) await app.transcript.append(conversation.id, { author: 'customer', text: digits, payload: { input: { kind: 'digits' }, ...(digits === '1' ? { action: VoiceActions.callback } : {}) } });
      let text = spoken(locale).goodbye;
      if (digits === '1' && conversation.channel_address) {
        await app.handoff.recordPhoneCallback(conversation.id, conversation.channel_address);
        text = spoken(locale).callbackRecorded;
      }
      await prompt(conversation, text);
      say(response, locale, [text]);
      response.hangup();
      return response.toString();
    },
  );

  app.post(
    '/twilio/voice/wait',
    {
      preValidation: checkSignature,
      schema: { tags: ['twilio'], summary: 'Hold message while the call waits in the queue (<Enqueue waitUrl>)', querystring: StepQuery, response: { 200: Twiml, 403: ErrorReply } },
    },
    async (request, reply) => {
      const conversation = await app.repos.conversations.get(request.query.c);
      const locale = conversation?.locale ?? 'en';
      const response = new twilio.twiml.VoiceResponse();
      say(response, locale, [spoken(locale).hold]);
      response.pause({ length: 20 });
      return reply.type('text/xml').send(response.toString());
    },
  );

  app.post(
    '/twilio/voice/status',
    {
      preValidation: checkSignature,
      schema: {
        tags: ['twilio'],
        summary: 'Twilio call status callback: how the call ended (completed, abandoned during the IVR, transferred)',
        body: Type.Object({ CallSid: Type.String({ minLength: 1, maxLength: 64 }), CallStatus: Type.String({ maxLength: 40 }), CallDuration: Type.Optional(Type.String({ maxLength: 10 })) }, { additionalProperties: true }),
        response: { 204: Type.Null(), 403: ErrorReply },
      },
    },
    async (request, reply) => {
      const { CallSid, CallStatus, CallDuration } = request.body;
      const ended = ['completed', 'busy', 'failed', 'no-answer', 'canceled'].includes(CallStatus);
      const record = ended ? await app.repos.conversations.findByExternalId(CallSid) : undefined;
      if (record) {
        const messages = await app.repos.conversations.messages(record.conversationId, { includeInternal: true });
        if (!messages.some((m) => m.payload?.callOutcome)) {
          const conversation = (await app.repos.conversations.get(record.conversationId))!;
          const transferred = messages.some((m) => m.payload?.callTransfer);
          const outcome =
            conversation.escalation_reason === 'callback' ? 'callback' : transferred ? 'transferred' : conversation.status === 'bot' ? 'abandoned' : 'completed';
          await app.transcript.append(conversation.id, {
            author: 'system',
            text: `Call ended: ${outcome} (${CallStatus}${CallDuration ? `, ${CallDuration} s` : ''})`,
            internal: true,
            payload: { callOutcome: outcome, callStatus: CallStatus, ...(CallDuration ? { durationSeconds: Number(CallDuration) } : {}) },
          });
        }
      }
      return reply.code(204).send(null);
    },
  );
}
