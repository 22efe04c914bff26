/**
 * Strings ⇄ bytes for the byte-level tokenizer, WTF-8 style: well-formed text
 * is plain UTF-8, and a lone surrogate (which UTF-8 cannot express and
 * `TextEncoder` would turn into U+FFFD) is written as the 3-byte generalized
 * UTF-8 form of its code unit, ED A0..BF 80..BF. Every JavaScript string thus
 * round-trips exactly. A surrogate pair is always written as one 4-byte
 * sequence, so these 3-byte forms only ever stand for lone surrogates.
 */

/** Appends the WTF-8 bytes of `text` to `out` starting at `at`; returns the new end. `out` needs 3 bytes per UTF-16 unit. */
export function encodeWtf8Into(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
      continue;
    }
    if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
        out[at++] = 0xf0 | (c >> 18);
        out[at++] = 0x80 | ((c >> 12) & 0x3f);
        out[at++] = 0x80 | ((c >> 6) & 0x3f);
        out[at++] = 0x80 | (c & 0x3f);
        continue;
      }
    }
    // BMP characters and lone surrogates alike: three bytes.
    out[at++] = 0xe0 | (c >> 12);
    out[at++] = 0x80 | ((c >> 6) & 0x3f);
    out[at++] = 0x80 | (c & 0x3f);
  }
  return at;
}

/**
 * Encodes a string as WTF-8 bytes: UTF-8, with each lone surrogate as its own 3-byte sequence, so any string
 * round-trips.
 */
export function encodeWtf8(text: string): Uint8Array {
  const buffer = new Uint8Array(text.length * 3);
  return buffer.subarray(0, encodeWtf8Into(text, buffer, 0));
}

// ignoreBOM: a leading U+FEFF is text to keep, not a byte-order mark to strip (found by the property test).
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Bytes → string. Surrogate forms (ED A0..BF 80..BF) become their lone code
 * unit; everything else goes through the standard UTF-8 decoder, which turns
 * byte sequences no encoder would write into U+FFFD (possible only for id
 * sequences that `encode` did not produce).
 */
export function decodeWtf8(bytes: Uint8Array): string {
  let out = '';
  let start = 0;
  for (let i = bytes.indexOf(0xed); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xed, i + 1)) {
    const b1 = bytes[i + 1]!;
    const b2 = bytes[i + 2]!;
    if (b1 < 0xa0 || b1 > 0xbf || b2 < 0x80 || b2 > 0xbf) continue;
    if (i > start) out += utf8.decode(bytes.subarray(start, i));
    out += String.fromCharCode(0xd000 | ((b1 & 0x3f) << 6) | (b2 & 0x3f));
    start = i + 3;
    i += 2;
  }
  return start === 0 ? utf8.decode(bytes) : out + utf8.decode(bytes.subarray(start));
}

// fatal: a byte sequence that is not well-formed UTF-8 (a lone lead or continuation byte, a surrogate form) throws.
const strictUtf8 = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

/**
 * The text of `bytes` when they are well-formed UTF-8 on their own, else undefined. Such bytes decode the same
 * alone as inside any longer sequence (they start a character and end one), so their text can be concatenated.
 */
export function standaloneUtf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
