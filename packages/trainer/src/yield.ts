/**
 * Yields to the event loop: timers, I/O and signal handlers (a Ctrl-C calling
 * `stop()`) run here. `setImmediate` where it exists (Node), else a zero
 * timeout (browsers, where it lets the page paint and handle input).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}
