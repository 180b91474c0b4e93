// The real process, as `npm start` runs it: it starts, serves, shuts down cleanly on SIGTERM, and loses no acknowledged message on SIGKILL.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../server/store/database.js';
import { tempDir } from './helpers/services.js';
import { startServer } from './helpers/server-process.js';

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
