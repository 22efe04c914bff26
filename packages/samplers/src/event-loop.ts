/**
 * Cooperative yielding for long decoding loops. On the cpu backend
 * `tensor.data()` resolves as a microtask, so a loop of awaits never lets
 * timers, I/O or UI events run, and an `AbortController.abort()` fired from a
 * timer would wait for the whole generation. Yielding a macrotask every few
 * milliseconds keeps cancellation prompt at negligible cost.
 */
export class EventLoopYielder {
  private last = performance.now();

  constructor(private readonly everyMs = 8) {}

  async maybeYield(): Promise<void> {
    const now = performance.now();
    if (now - this.last < this.everyMs) return;
    await new Promise<void>((resolve) =>
      typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
    );
    this.last = performance.now();
  }
}
