// /widget.js and the demo page, through app.inject: the one script tag, caching, compression and
// the headers that let any site embed the widget.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import type { Store } from '../server/store/database.js';
import { openSqliteStore, tempDir } from './helpers/services.js';

const BUNDLE = path.resolve('public/build/widget.js');
let app: FastifyInstance;
let store: Store;

beforeAll(async () => {
  // `npm test` builds it first (pretest); a direct `vitest run` of this file builds it here
  if (!fs.existsSync(BUNDLE)) execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-assets.ts'], { stdio: 'inherit' });
  store = await openSqliteStore();
  app = await buildApp(testConfig({ KB_DIR: path.resolve('kb-content'), DATA_DIR: tempDir() }), { store });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe('/widget.js', () => {
  it('is the built bundle, served as JavaScript with a content ETag and a five-minute public cache', async () => {
    const response = await app.inject({ url: '/widget.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.headers.etag).toMatch(/^"[\w-]{16,}"$/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toBe(fs.readFileSync(BUNDLE, 'utf8'));
  });

  it('answers a revalidation with its unchanged ETag with 304 and no body', async () => {
    const first = await app.inject({ url: '/widget.js' });
    const again = await app.inject({ url: '/widget.js', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    const stale = await app.inject({ url: '/widget.js', headers: { 'if-none-match': '"something-older"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('is gzip-compressed for browsers that accept it, with its own ETag and Vary: Accept-Encoding', async () => {
    const plain = await app.inject({ url: '/widget.js' });
    const zipped = await app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    // the size budget the build enforces, checked on what is actually sent
    expect(zipped.rawPayload.length).toBeLessThanOrEqual(25 * 1024);
  });

  it('may be loaded by any site: CORS and Cross-Origin-Resource-Policy allow it', async () => {
    const response = await app.inject({ url: '/widget.js', headers: { origin: 'https://shop.example' } });
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });
});

describe('the demo page at /', () => {
  it('is a shop page that embeds the widget with its one script tag', async () => {
    const response = await app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<html lang="de">');
    expect(response.body).toContain('Nordwind');
    expect(response.body).toMatch(/<script src="\/widget\.js" data-locale="de"[^>]* async><\/script>/);
  });

  it('embeds an English widget with ?lang=en', async () => {
    const response = await app.inject({ url: '/?lang=en' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/<script src="\/widget\.js" data-locale="en"[^>]* async><\/script>/);
    expect(response.headers.etag).not.toBe((await app.inject({ url: '/' })).headers.etag);
  });
});
