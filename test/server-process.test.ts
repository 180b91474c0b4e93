// The real process, as `npm start` runs it: it starts, serves, shuts down cleanly on SIGTERM, and loses no acknowledged message on SIGKILL.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../server/store/database.js';
import { tempDir } from './helpers/services.js';
import { TEST_KB_CACHE_DIR } from '../server/config.js';

const root = path.resolve(import.meta.dirname, '..');

/** Starts `server/main.ts` as npm start does, on a free port; resolves once it listens. */
async function startServer(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_PRETTY: 'false', LOG_LEVEL: 'info', KB_WATCH: 'false', KB_CACHE_DIR: TEST_KB_CACHE_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a server that did not start in time must not outlive the test
      reject(new Error(`server did not start:\n${output}`));
    }, 25_000);
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      } else setTimeout(check, 50);
    };
    check();
  });
  return { child, url, exited, output: () => output };
}

describe('the server process', () => {
  it('serves health checks and closes the database cleanly on SIGTERM', async () => {
    const { child, url, exited, output } = await startServer(tempDir());

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('closed cleanly');
  });

  it('keeps a chat message it acknowledged, even when the process is killed right after (SIGKILL)', async () => {
    const dataDir = tempDir();
    const { child, url, exited } = await startServer(dataDir);
    const started = await (await fetch(`${url}/api/chat/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'de' }) })).json();
    const sent = await fetch(`${url}/api/chat/conversations/${started.conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${started.token}` },
      body: JSON.stringify({ text: 'Meine Bestellung NW-10482317 ist nicht angekommen' }),
    });
    expect(sent.status).toBe(200);
    child.kill('SIGKILL');
    await exited;

    const store = await openStore(`sqlite:${path.join(dataDir, 'support-desk.sqlite')}`);
    try {
      const texts = (await store.db.selectFrom('messages').select('text').where('conversation_id', '=', started.conversationId).execute()).map((m) => m.text);
      expect(texts).toContain('Meine Bestellung NW-10482317 ist nicht angekommen');
    } finally {
      await store.close();
    }
  });
});
