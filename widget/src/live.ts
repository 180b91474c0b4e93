// Live updates for one conversation: a WebSocket that reconnects with exponential backoff (and jitter;
// its URL asks the server to replay what was missed), and polling of GET ?after=seq for as long as the socket cannot connect (proxies that block WebSockets).
import type { LiveEvent } from './api.js';

export interface LiveOptions {
  url: () => string;
  /** fetch whatever was missed; called on every poll tick while the socket is down */
  catchUp: () => Promise<void>;
  onEvent: (event: LiveEvent) => void;
  onConnected: (connected: boolean) => void;
}

const POLL_MS = 4000;
/** close code of a server shutting down (deploy, restart): reconnect at once */
const SERVICE_RESTART = 1012;
const MAX_BACKOFF_MS = 30_000;
/** socket failures in a row before polling starts */
const FAILURES_BEFORE_POLLING = 2;

export class LiveUpdates {
  private socket: WebSocket | undefined;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private readonly onOnline = () => this.reconnectNow();

  constructor(private readonly options: LiveOptions) {}

  start(): void {
    this.stopped = false;
    addEventListener('online', this.onOnline);
    this.connect();
  }

  /** Sends a small signal (typing) over the socket when it is open; dropped otherwise (it is only a hint). */
  send(data: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(data));
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.onOnline);
    clearTimeout(this.retryTimer);
    this.stopPolling();
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
  }

  private connect(): void {
    if (this.stopped) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.options.url());
    } catch {
      this.failed();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      this.stopPolling();
      this.options.onConnected(true);
    };
    socket.onmessage = (event) => {
      let parsed: LiveEvent;
      try {
        parsed = JSON.parse(String(event.data));
      } catch {
        return;
      }
      this.options.onEvent(parsed);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (event.code === SERVICE_RESTART) return this.restarted();
      this.failed();
    };
  }

  private failed(): void {
    if (this.stopped) return;
    this.failures++;
    this.options.onConnected(false);
    if (this.failures >= FAILURES_BEFORE_POLLING) this.startPolling();
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.failures - 1)) * (0.75 + Math.random() * 0.5);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** The server is shutting down (a deploy): reconnect soon, to whichever instance answers; not a failure. */
  private restarted(): void {
    if (this.stopped) return;
    this.options.onConnected(false);
    clearTimeout(this.retryTimer);
    // spread over a second, so the sockets of a whole instance do not all arrive at once
    this.retryTimer = setTimeout(() => this.connect(), 100 + Math.random() * 900);
  }

  private reconnectNow(): void {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    const tick = () => this.options.catchUp().catch(() => {});
    this.pollTimer = setInterval(tick, POLL_MS);
    tick();
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }
}
