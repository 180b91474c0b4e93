// npm run agent:add -- --login anna --name "Anna" [--role agent|editor|admin] [--reset-password]
// Creates an agent (or sets a new password with --reset-password, which ends all that agent's sessions: the
// running server refuses them at once and closes their live console within SESSION_RECHECK_MS). The password comes from AGENT_PASSWORD,
// else it is asked for on the terminal without echo (twice), else read as one line from piped stdin.
import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { loadConfig, ConfigError } from '../config.js';
import { openStore } from '../store/database.js';
import { AgentRepository } from '../store/agents.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../handoff/passwords.js';
import type { AgentRole } from '../store/schema.js';

const ROLES: AgentRole[] = ['agent', 'editor', 'admin'];
const MIN_PASSWORD = MIN_PASSWORD_LENGTH;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** One line from the terminal with nothing echoed (not even stars: the length is a secret too). */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    stdin.setRawMode(true); // before the prompt, so nothing typed after it is echoed
    process.stdout.write(prompt);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          return resolve(value);
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          process.stdout.write('\n');
          return reject(new Error('cancelled'));
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function readLine(): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function password(): Promise<string> {
  if (process.env.AGENT_PASSWORD) return process.env.AGENT_PASSWORD;
  if (!process.stdin.isTTY) return readLine();
  const first = await askHidden('Password: ');
  const second = await askHidden('Repeat the password: ');
  if (first !== second) fail('The two passwords differ; nothing was changed.');
  return first;
}

async function main() {
  const { values } = parseArgs({
    options: {
      login: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'agent' },
      'reset-password': { type: 'boolean', default: false },
    },
  });
  const login = values.login?.trim().toLowerCase();
  if (!login || !/^[a-z0-9._@-]{2,64}$/.test(login)) fail('Give a --login of 2 to 64 letters, digits or . _ @ - (e.g. --login anna).');
  const role = values.role as AgentRole;
  if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}.`);
  if (!values['reset-password'] && !values.name?.trim()) fail('Give the --name agents and customers will see (e.g. --name "Anna").');

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const secret = await password();
  if (secret.length < MIN_PASSWORD) fail(`The password needs at least ${MIN_PASSWORD} characters.`);

  const store = await openStore(config.databaseUrl);
  try {
    const agents = new AgentRepository(store.db);
    const hash = await hashPassword(secret);
    if (values['reset-password']) {
      const agent = await agents.findByLogin(login);
      if (!agent || !(await agents.setPassword(login, hash))) fail(`There is no agent "${login}".`);
      const ended = await agents.deleteSessionsOf(agent.id);
      console.log(`New password set for "${login}"; ${ended.length} session${ended.length === 1 ? '' : 's'} ended.`);
      return;
    }
    const created = await agents.create({ login, displayName: values.name!.trim(), passwordHash: hash, role });
    if (!created) fail(`An agent "${login}" exists already. Use --reset-password to give them a new password.`);
    console.log(`Agent "${login}" (${created.display_name}, ${created.role}) created. They log in at ${config.publicUrl}/agent/login`);
  } finally {
    await store.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
