// SMS through Twilio: POST /twilio/sms (an SMS arrives; the bot's answer goes back as TwiML) and
// POST /twilio/sms/status (Twilio reports what became of an SMS we sent). Thin: the customer, the
// conversation and the turn are the inbound service's; the words are bot/replies/sms.ts's.
import twilio from 'twilio';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TwilioConfig } from '../config.js';
import { DuplicateMessageError, type Message } from '../store/conversations.js';
import type { Conversation } from '../store/schema.js';
import { requireTwilioSignature } from './twilio/signature.js';
import { channelLocale, toE164 } from './twilio/phone.js';

export const SMS_CHANNEL = 'sms';
/** how long a status callback waits for the MessageSid it reports to be stored */
const STATUS_WAIT_MS = 3000;

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'STOPP', 'ENDE', 'ABMELDEN', 'ABBESTELLEN', 'KUENDIGEN', 'KÜNDIGEN']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES_START', 'ANMELDEN']);
const TWILIO_HELP = new Set(['HELP', 'INFO', 'HILFE']);

/** STOP, START, HELP and their German forms: Twilio's opt-out handling answers them, the bot stays silent. */
export function carrierKeyword(text: string): 'opt_out' | 'opt_in' | 'help' | undefined {
  const word = text.trim().toUpperCase();
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  if (TWILIO_HELP.has(word)) return 'help';
  return undefined;
}

const ErrorReply = Type.Object({ error: Type.String(), message: Type.String(), statusCode: Type.Integer() });
const InboundSms = Type.Object(
  {
    MessageSid: Type.String({ minLength: 1, maxLength: 64 }),
    From: Type.String({ minLength: 1, maxLength: 40 }),
    To: Type.String({ maxLength: 40 }),
    Body: Type.Optional(Type.String({ maxLength: 2000 })),
    NumMedia: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$' })),
  },
  { additionalProperties: true },
);
const StatusCallback = Type.Object(
  {
    MessageSid: Type.String({ minLength: 1, maxLength: 64 }),
    MessageStatus: Type.String({ maxLength: 40 }),
    ErrorCode: Type.Optional(Type.String({ maxLength: 10 })),
    ErrorMessage: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: true },
);

function twiml(messages: string[]): string {
  const response = new twilio.twiml.MessagingResponse();
  for (const text of messages) response.message(text);
  return response.toString();
}

/** What the reply "2" stands for: the second of the numbered options the bot sent last. */
export async function numberedChoice(app: FastifyInstance, conversation: Conversation, text: string): Promise<string | undefined> {
  const match = /^\s*([1-9])\s*[.)]?\s*$/.exec(text);
  if (!match) return undefined;
  const recent = await app.repos.conversations.messages(conversation.id, { afterSeq: Math.max(0, conversation.last_seq - 10) });
  const offer = recent.reverse().find((m) => m.author === 'bot');
  const options = (offer?.payload?.suggestions as Array<{ action: string }> | undefined) ?? [];
  return options[Number(match[1]) - 1]?.action;
}

export async function twilioSms(scope: FastifyInstance, { twilioConfig }: { twilioConfig: TwilioConfig }) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const checkSignature = requireTwilioSignature(twilioConfig.authToken, app.config.publicUrl);

  app.post(
    '/twilio/sms',
    {
      preValidation: checkSignature,
      schema: {
        tags: ['twilio'],
        summary: 'Twilio webhook: an SMS arrived (answers with TwiML)',
        description: 'Needs a valid X-Twilio-Signature for PUBLIC_URL + /twilio/sms. A retried MessageSid is stored and answered once.',
        body: InboundSms,
        response: { 200: Type.String({ description: 'TwiML <Response> with the replies as <Message>' }), 400: ErrorReply, 403: ErrorReply },
      },
    },
    async (request, reply) => {
      const body = request.body as Record<string, string>;
      const from = toE164(body.From);
      if (!from) return reply.code(400).send({ error: 'Bad Request', message: `From is not a phone number in international form: "${body.From}"`, statusCode: 400 });
      const text = (body.Body ?? '').trim();
      const customerId = await app.inbound.identify([{ kind: 'phone', value: from }]);
      reply.type('text/xml');
      if (await app.inbound.alreadyReceived(customerId, SMS_CHANNEL, body.MessageSid)) return twiml([]);

      const keyword = carrierKeyword(text);
      if (keyword) {
        if (keyword !== 'help') await app.repos.customers.setOptedOut(from, keyword === 'opt_out', app.clock.now().toISOString());
        // agents see it in an open conversation; no conversation is opened for it and the bot says nothing
        const open = await app.repos.conversations.latestOpenOn(customerId, SMS_CHANNEL, from);
        if (open) await app.transcript.append(open.id, { author: 'customer', text, externalId: body.MessageSid, payload: { keyword } });
        request.log.info({ keyword }, 'SMS keyword left to Twilio opt-out handling');
        return twiml([]);
      }

      const locales = app.kb.locales();
      const locale = channelLocale(twilioConfig.locale, from, locales);
      const fallback = locales.includes('en') ? 'en' : (locales[0] ?? 'en');
      const { conversation } = await app.inbound.continueOrOpen({ customerId, channel: SMS_CHANNEL, address: from, locale: locale ?? fallback, idleHours: app.config.sms.idleHours });
      const media = Array.from({ length: Number(body.NumMedia ?? 0) }, (_, i) => ({ url: body[`MediaUrl${i}`] ?? '', contentType: body[`MediaContentType${i}`] ?? '' })).filter((m) => m.url);
      const action = await numberedChoice(app, conversation, text);
      try {
        const { replies } = await app.inbound.receive(conversation, {
          text,
          action,
          externalId: body.MessageSid,
          locale,
          localeHint: locale ? undefined : fallback,
          extra: media.length ? { media } : undefined,
        });
        return twiml(replies.filter((m: Message) => !m.internal).map((m) => m.text));
      } catch (error) {
        // Twilio's retry raced the first delivery: the unique (conversation_id, external_id) index let one through
        if (error instanceof DuplicateMessageError) return twiml([]);
        throw error;
      }
    },
  );

  app.post(
    '/twilio/sms/status',
    {
      preValidation: checkSignature,
      schema: {
        tags: ['twilio'],
        summary: 'Twilio status callback: what became of an SMS we sent',
        body: StatusCallback,
        response: { 204: Type.Null(), 403: ErrorReply },
      },
    },
    async (request, reply) => {
      const { MessageSid, MessageStatus, ErrorCode, ErrorMessage } = request.body;
      const state = MessageStatus === 'delivered' ? 'delivered' : MessageStatus === 'sent' ? 'sent' : MessageStatus === 'failed' || MessageStatus === 'undelivered' ? 'failed' : undefined;
      if (state) {
        const reason = state === 'failed' ? `Twilio ${ErrorCode ?? ''}: ${ErrorMessage ?? MessageStatus}`.replace('Twilio : ', 'Twilio: ') : null;
        // the callback can overtake our own write of the MessageSid (it comes back in the REST response):
        // wait a moment for it before calling the SMS unknown
        let job = await app.outbox.repo.applyStatus(MessageSid, state, reason);
        for (let waited = 0; !job && waited < STATUS_WAIT_MS; waited += 100) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          job = await app.outbox.repo.applyStatus(MessageSid, state, reason);
        }
        if (!job) request.log.warn({ messageSid: MessageSid }, 'status callback for an SMS we do not know');
      }
      return reply.code(204).send(null);
    },
  );
}
