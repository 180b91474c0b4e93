// The one logger: pino, pretty in a terminal, JSON lines otherwise.
// Secrets never reach it: conversation tokens (also in `?token=` of the chat stream URL), agent session
// cookies and CSRF tokens are replaced by "[redacted]" wherever a request or response is logged.
import pino, { type DestinationStream, type Logger } from 'pino';
import type { FastifyRequest } from 'fastify';
import type { Config } from './config.js';

const REDACTED = '[redacted]';
/** query parameters that carry a credential */
const SECRET_QUERY_PARAMS = new Set(['token', 'access_token', '_csrf']);

const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-csrf-token'];
const REDACT_PATHS = [
  ...SECRET_HEADERS.flatMap((header) => [`req.headers["${header}"]`, `res.headers["${header}"]`, `headers["${header}"]`]),
  'req.query.token',
  'query.token',
];

/** The URL with the value of every credential query parameter replaced, e.g. `…/stream?token=[redacted]&after=3`. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed name is logged as sent
      }
      return SECRET_QUERY_PARAMS.has(decoded.toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${query}`;
}

/** Fastify's own request serializer, with credentials taken out of the URL. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** `destination`: where the JSON lines go (stdout by default; tests capture them). */
export function createLogger(config: Pick<Config, 'logLevel' | 'logPretty'>, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { req: serializeRequest as any },
  };
  if (destination) return pino(options, destination);
  return pino({
    ...options,
    ...(config.logPretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}
