// A locale folder removed while the server runs: it is logged as a problem naming the locale, the API says the
// locale is unavailable instead of answering in German, and the help center shows German with a note saying so.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { openSqliteStore, tempDir } from './helpers/services.js';
import type { Store } from '../server/store/database.js';
import { copyKb } from './fixtures/kb-fixtures.js';

let app: FastifyInstance | undefined;
let store: Store | undefined;
afterEach(async () => {
  await app?.close();
  await store?.close();
  app = undefined;
});

async function start(kbDir: string) {
  const lines: Array<{ level: number; msg: string }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const config = testConfig({ LOG_LEVEL: 'info', KB_DIR: kbDir, DATA_DIR: tempDir('data-') });
  store = await openSqliteStore();
  app = await buildApp(config, { store, logger: createLogger(config, destination) });
  await app.ready();
  return { app, lines };
}

describe('a locale folder removed from the KB while running', () => {
  it('is logged as a problem, the API answers 404 for it, the help center says it shows another language', async () => {
    const kb = copyKb();
    const { app, lines } = await start(kb);
    expect((await app.inject({ url: '/api/search?q=card&locale=en' })).json().locale).toBe('en');
    expect((await app.inject({ url: '/help?lang=en' })).body).not.toContain('language-note');

    fs.rmSync(path.join(kb, 'en'), { recursive: true });
    await app.kb.reload();

    // warn (40) or worse, naming the locale
    const problem = lines.find((line) => line.level >= 40 && /locale "en"/.test(line.msg));
    expect(problem, JSON.stringify(lines.map((l) => l.msg))).toBeDefined();

    const search = await app.inject({ url: '/api/search?q=card&locale=en' });
    expect(search.statusCode).toBe(404);
    expect(search.json().message).toMatch(/locale "en" is not available/);
    expect((await app.inject({ url: '/api/articles/card-payment?locale=en' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/feedback', payload: { articleId: 'card-payment', helpful: true, locale: 'en' } })).statusCode).toBe(404);
    // German still answers, and so does a request without a locale
    expect((await app.inject({ url: '/api/search?q=Karte&locale=de' })).json().locale).toBe('de');
    expect((await app.inject({ url: '/api/search?q=Karte' })).statusCode).toBe(200);

    for (const url of ['/help?lang=en', '/help/search?q=card&lang=en']) {
      const page = await app.inject({ url });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<html lang="de">');
      expect(page.body).toMatch(/<p class="language-note" role="status" lang="en">Articles in English are not available at the moment\. This page is in Deutsch\.<\/p>/);
    }
    expect((await app.inject({ url: '/help?lang=de' })).body).not.toContain('language-note');
  });
});
