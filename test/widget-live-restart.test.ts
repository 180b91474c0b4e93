// The widget's live connection when a server restarts (deploy): a close with 1012 reconnects within about a
// second, without counting as a failure or falling back to polling; other closes back off as before.
// The browser's WebSocket is replaced by a recording fake; our LiveUpdates runs unchanged.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveUpdates } from '../widget/src/live.js';

class FakeSocket {
  static made: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  close() {}
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.made = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('addEventListener', () => {});
  vi.stubGlobal('removeEventListener', () => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function live() {
  let seq = 7;
  const catchUp = vi.fn(async () => {});
  const updates = new LiveUpdates({ url: () => `ws://x/stream?after=${seq}`, catchUp, onEvent: () => {}, onConnected: () => {} });
  updates.start();
  FakeSocket.made[0].onopen!();
  return { updates, catchUp, setSeq: (n: number) => (seq = n) };
}

describe('widget live updates across a server restart', () => {
  it('reconnects within about a second after 1012, asking for what it missed, without polling', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99); // the slowest jitter: still under a second
    const { updates, catchUp, setSeq } = live();
    setSeq(12);
    FakeSocket.made[0].onclose!({ code: 1012 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.made).toHaveLength(2);
    expect(FakeSocket.made[1].url).toBe('ws://x/stream?after=12');
    // a second restart right after is still not a failure: no polling
    FakeSocket.made[1].onopen!();
    FakeSocket.made[1].onclose!({ code: 1012 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.made).toHaveLength(3);
    expect(catchUp).not.toHaveBeenCalled();
    updates.stop();
  });

  it('backs off after other closes and polls after two failures in a row', async () => {
    const { updates, catchUp } = live();
    FakeSocket.made[0].onclose!({ code: 1006 });
    await vi.advanceTimersByTimeAsync(600);
    expect(FakeSocket.made).toHaveLength(1); // backoff of at least 750 ms
    await vi.advanceTimersByTimeAsync(800);
    expect(FakeSocket.made).toHaveLength(2);
    FakeSocket.made[1].onclose!({ code: 1006 });
    await vi.advanceTimersByTimeAsync(10);
    expect(catchUp).toHaveBeenCalled();
    updates.stop();
  });
});
