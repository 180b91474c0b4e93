// The Twilio REST client, with two things of ours: TWILIO_API_URL sends its requests to another base URL
// (a fake Twilio in tests, a staging proxy), and an error response becomes a TwilioApiError that keeps
// what the outbox needs to decide on a retry: the HTTP status, Twilio's error code and Retry-After.
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
type Response<T> = Awaited<ReturnType<RequestClient['request']>> & { body: T };
import type { TwilioConfig } from '../../config.js';
import { parseRetryAfter } from '../../outbox/backoff.js';

export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }
}

class TwilioHttpClient extends twilio.RequestClient {
  constructor(private readonly apiUrl: string | undefined) {
    // no auto-retry inside the client: the outbox retries, with its own backoff, across restarts
    super({ timeout: 15_000, autoRetry: false });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    let uri = opts.uri;
    if (this.apiUrl) {
      const original = new URL(uri);
      uri = `${this.apiUrl}${original.pathname}${original.search}`;
    }
    const response = await super.request<TData>({ ...opts, uri });
    if (response.statusCode >= 400) {
      const body = (typeof response.body === 'string' ? safeJson(response.body) : response.body) as { code?: number; message?: string } | null;
      const headers = (response.headers ?? {}) as Record<string, string | string[] | undefined>;
      throw new TwilioApiError(
        response.statusCode,
        typeof body?.code === 'number' ? body.code : undefined,
        body?.message ?? `HTTP ${response.statusCode}`,
        parseRetryAfter(headers['retry-after'], new Date()),
      );
    }
    return response;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export type TwilioClient = ReturnType<typeof twilio>;

export function createTwilioClient(config: TwilioConfig): TwilioClient {
  return twilio(config.accountSid, config.authToken, { httpClient: new TwilioHttpClient(config.apiUrl) });
}
