// Phone calls through Twilio (IVR): filled in by the voice step.
import type { FastifyInstance } from 'fastify';
import type { TwilioConfig } from '../config.js';

export async function twilioVoice(_scope: FastifyInstance, _options: { twilioConfig: TwilioConfig }) {}
