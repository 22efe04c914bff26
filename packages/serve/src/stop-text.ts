/**
 * Cuts a streamed choice's text at the first stop string, which OpenAI's API
 * leaves out of the reply. Text that might be the start of a stop string is
 * held back until the next delta decides, so a stop string never reaches the
 * client half-sent.
 */
export class StopText {
  private text = '';
  private sent = 0;
  /** A stop string was found: everything after it is dropped. */
  stopped = false;

  constructor(private readonly stops: readonly string[]) {}

  /** Adds a delta; returns the text that can be sent now. */
  push(delta: string): string {
    if (this.stopped) return '';
    this.text += delta;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.text.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.stopped = true;
      return this.take(cut);
    }
    return this.take(this.text.length - this.heldBack());
  }

  /** The end of the text: whatever was held back goes out. */
  flush(): string {
    return this.stopped ? '' : this.take(this.text.length);
  }

  /** Length of the longest tail of the text that is a proper prefix of a stop string. */
  private heldBack(): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, this.text.length - this.sent); k > longest; k--) {
        if (this.text.endsWith(stop.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }

  private take(end: number): string {
    const out = this.text.slice(this.sent, Math.max(end, this.sent));
    this.sent = Math.max(end, this.sent);
    return out;
  }
}
