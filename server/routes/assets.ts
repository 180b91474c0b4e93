// The customer-facing static assets: the chat widget bundle at /widget.js and the demo shop page at /
// (`/?lang=en` for an English widget, `/?chat=open` opens it on arrival).
//
// Caching: /widget.js keeps one URL forever, because it is pasted into other sites' HTML, so it cannot be
// content-hashed. It is served with `Cache-Control: public, max-age=300` and a content ETag: browsers reuse
// it for five minutes, then revalidate for a cheap 304; a deploy reaches every site within five minutes.
// It is sent gzip-compressed when the client accepts that, and with CORS/CORP headers so any site may load it.
// Both files are re-read when they change on disk, so `npm run build:assets` needs no restart.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';

const WIDGET_FILE = path.resolve(import.meta.dirname, '../../public/build/widget.js');
const DEMO_FILE = path.resolve(import.meta.dirname, '../../widget/demo/index.html');
export const WIDGET_CACHE_CONTROL = 'public, max-age=300';

interface LoadedFile {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  mtimeMs: number;
  size: number;
}

function loadedFrom(body: Buffer, mtimeMs: number, size: number): LoadedFile {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return { body, gzipped: gzipSync(body, { level: 9 }), etag: `"${hash}"`, mtimeMs, size };
}

/** Reads a file once and again only when its modification time or size changes. */
function fileCache(file: string): () => LoadedFile | undefined {
  let loaded: LoadedFile | undefined;
  return () => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (loaded && loaded.mtimeMs === stat.mtimeMs && loaded.size === stat.size) return loaded;
    loaded = loadedFrom(fs.readFileSync(file), stat.mtimeMs, stat.size);
    return loaded;
  };
}

/** The demo page with its widget speaking English (`/?lang=en`); the shop itself stays German. */
function englishDemo(): (german: LoadedFile) => LoadedFile {
  let cached: { from: LoadedFile; english: LoadedFile } | undefined;
  return (german) => {
    if (cached?.from !== german) {
      const body = Buffer.from(german.body.toString('utf8').replace('data-locale="de"', 'data-locale="en"').replace('data-title="Nordwind Kundenservice"', 'data-title="Nordwind customer service"'));
      cached = { from: german, english: loadedFrom(body, german.mtimeMs, german.size) };
    }
    return cached.english;
  };
}

function acceptsGzip(request: FastifyRequest): boolean {
  return /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
}

function matchesEtag(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/** Sends a file, compressed when accepted, with its ETag (one per encoding), answering 304 when unchanged. */
function sendFile(request: FastifyRequest, reply: FastifyReply, file: LoadedFile, type: string) {
  const gzip = acceptsGzip(request);
  const etag = gzip ? file.etag.replace(/"$/, '-gz"') : file.etag;
  reply.header('etag', etag).header('vary', 'Accept-Encoding');
  if (matchesEtag(request, etag)) return reply.code(304).send();
  reply.type(type);
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? file.gzipped : file.body);
}

export default fp(
  async (app) => {
    const widget = fileCache(WIDGET_FILE);
    const demo = fileCache(DEMO_FILE);
    const inEnglish = englishDemo();

    app.get('/widget.js', { schema: { hide: true }, helmet: app.securityHeaders.widgetScript }, async (request, reply) => {
      const file = widget();
      if (!file) {
        request.log.error({ file: WIDGET_FILE }, 'widget bundle missing');
        return reply.code(503).send({ error: 'Service Unavailable', message: 'The chat widget is not built yet: run `npm run build:assets`.', statusCode: 503 });
      }
      reply
        .header('cache-control', WIDGET_CACHE_CONTROL)
        .header('access-control-allow-origin', '*');
      return sendFile(request, reply, file, 'text/javascript; charset=utf-8');
    });

    app.get('/', { schema: { hide: true }, helmet: app.securityHeaders.demoPage }, async (request, reply) => {
      const file = demo();
      if (!file) return reply.code(404).send({ error: 'Not Found', message: 'The demo page is missing.', statusCode: 404 });
      reply.header('cache-control', 'no-cache');
      const english = (request.query as { lang?: string }).lang === 'en';
      return sendFile(request, reply, english ? inEnglish(file) : file, 'text/html; charset=utf-8');
    });
  },
  { name: 'assets', dependencies: ['services', 'security-headers'] },
);
