// Quick CPU cost of one chat turn and one search through app.inject (no network, no load generator):
// a before/after measure for single changes. `tsx bench/turn-cost.ts` (SQLITE_SYNCHRONOUS=normal by default).
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { tempDir } from '../test/helpers/services.js';

const config = testConfig({
  KB_DIR: path.resolve('kb-content'),
  DATA_DIR: tempDir('support-desk-cost-'),
  CHAT_MESSAGES_PER_MINUTE: '100000',
  CHAT_REQUESTS_PER_MINUTE_PER_IP: '1000000',
  SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS ?? 'normal',
});
const app = await buildApp(config);
await app.ready();
const conversations: Array<{ id: string; token: string }> = [];
for (let i = 0; i < 20; i++) {
  const body = (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } })).json();
  conversations.push({ id: body.conversationId, token: body.token });
}
const texts = ['How long does delivery take?', 'How do I return an item?', 'Which payment methods can I use?', 'I forgot my password'];
const turns = Number(process.env.TURNS ?? 400);
async function chat(n: number) {
  for (let i = 0; i < n; i++) {
    const c = conversations[i % conversations.length];
    const r = await app.inject({ method: 'POST', url: `/api/chat/conversations/${c.id}/messages`, headers: { authorization: `Bearer ${c.token}` }, payload: { text: texts[i % texts.length] } });
    if (r.statusCode !== 200) throw new Error(r.body);
  }
}
const queries = ['Wie lange dauert die Lieferung?', 'Rücksendung Etikett', 'Passwort vergessen', 'Gutscheincode funktioniert nicht'];
async function search(n: number) {
  for (let i = 0; i < n; i++) await app.inject({ method: 'GET', url: `/api/search?locale=de&q=${encodeURIComponent(queries[i % queries.length])}` });
}
await chat(50);
await search(100);
let t = process.cpuUsage();
await chat(turns);
let used = process.cpuUsage(t);
console.log(`chat turn: ${((used.user + used.system) / 1000 / turns).toFixed(2)} ms CPU each (${turns} turns, synchronous=${config.sqliteSynchronous})`);
t = process.cpuUsage();
await search(turns * 2);
used = process.cpuUsage(t);
console.log(`search: ${((used.user + used.system) / 1000 / (turns * 2)).toFixed(3)} ms CPU each`);
await app.close();
