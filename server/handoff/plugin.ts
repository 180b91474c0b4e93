// PLACEHOLDER handoff until the human queue lands: escalation marks the conversation queued
// and tells the customer a person will answer. Decorates `handoff` (the bot's Handoff port).
import fp from 'fastify-plugin';
import type { Handoff } from '../../bot/ports.js';

declare module 'fastify' {
  interface FastifyInstance {
    handoff: Handoff;
  }
}

export default fp(
  async (app) => {
    const handoff: Handoff = {
      async isWithHuman(conversationId) {
        const conversation = await app.repos.conversations.get(conversationId);
        return conversation?.status === 'queued' || conversation?.status === 'assigned';
      },
      async escalate(ref, reason) {
        await app.transcript.changeStatus(ref.conversationId, ['bot'], { status: 'queued', escalation_reason: reason, queued_at: app.clock.now().toISOString() });
        const notice = ref.locale === 'de' ? 'Ein Mitarbeiter meldet sich gleich bei Ihnen.' : 'A member of our team will answer you shortly.';
        return { notices: [notice], offline: false };
      },
    };
    app.decorate('handoff', handoff);
  },
  { name: 'handoff', dependencies: ['services'] },
);
