import type { DecodeFn } from './stopping-criteria.js';

const REPLACEMENT = '\uFFFD';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Turns the growing token list of a stream into text deltas whose
 * concatenation is the final decoded text, without ever showing a character
 * half-made. Decoding a prefix of a byte-level token sequence can end in an
 * incomplete UTF-8 sequence (decoded as U+FFFD) or a lone high surrogate;
 * those are held back until the bytes that complete them arrive. The last
 * grapheme cluster is held back too, because the next token may still extend
 * it (a combining accent after `e`, the rest of a ZWJ emoji or of a flag), so
 * a delta only ever holds whole clusters. The delay is one cluster: the
 * held-back text comes out with the next token, or with the last one.
 */
export class TextDeltas {
  private emitted = '';

  constructor(private readonly decode: DecodeFn) {}

  /** The text that `tokens` (all generated so far) add; `final` flushes everything held back. */
  next(tokens: readonly number[], final: boolean): string {
    const text = this.decode(tokens);
    const ready = final ? text : this.stablePart(text);
    if (ready.startsWith(this.emitted)) {
      const delta = ready.slice(this.emitted.length);
      this.emitted = ready;
      return delta;
    }
    // The decoder rewrote text already shown (not something byte-level BPE does): show the new text whole.
    this.emitted = ready;
    return ready;
  }

  /** The prefix of `text` that later tokens cannot change. */
  private stablePart(text: string): string {
    let end = text.length;
    // A trailing incomplete UTF-8 sequence decodes to U+FFFD; a surrogate pair may be split across tokens.
    while (end > this.emitted.length && text[end - 1] === REPLACEMENT) end--;
    const last = text.charCodeAt(end - 1);
    if (end > this.emitted.length && last >= 0xd800 && last <= 0xdbff) end--;
    // Only the new part is segmented: what was emitted ends on a boundary that later text cannot move.
    let lastCluster = end;
    for (const { index } of graphemes.segment(text.slice(this.emitted.length, end))) {
      lastCluster = this.emitted.length + index;
    }
    return text.slice(0, Math.min(lastCluster, end));
  }
}
