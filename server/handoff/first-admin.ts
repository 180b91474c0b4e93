// A newcomer can log in after `npm start`: on a database without any agent, create `admin` with a random
// password (or INITIAL_ADMIN_PASSWORD) and say so once, loudly, in the log.
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { AgentRepository } from '../store/agents.js';
import { hashPassword, randomPassword } from './passwords.js';

export async function ensureFirstAdmin(agents: AgentRepository, initialPassword: string | undefined, logger: Logger): Promise<void> {
  if ((await agents.count()) > 0) return;
  const password = initialPassword ?? randomPassword();
  // another process starting at the same moment may win; then it logs, not us
  const created = await agents.create({ login: 'admin', displayName: 'Admin', passwordHash: await hashPassword(password), role: 'admin' });
  if (!created) return;
  if (initialPassword) {
    logger.warn('No agent existed: created the agent "admin" with the password from INITIAL_ADMIN_PASSWORD. Log in at /agent/login.');
  } else {
    logger.warn(`No agent existed: created the agent "admin" with the password "${password}" (shown only this once). Log in at /agent/login and add agents with npm run agent:add.`);
  }
}
