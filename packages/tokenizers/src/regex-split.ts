import { ConfigError } from '@seqgen/base';
import { RE2JS } from 're2js';

/** GPT-2's pre-tokenization: contractions, words with one leading space, numbers, punctuation runs, whitespace. */
export const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** The word pre-tokenizer's built-in patterns. */
export const WHITESPACE_PATTERN = '\\S+';
export const WHITESPACE_PUNCTUATION_PATTERN =
  "[\\p{L}\\p{N}\\p{M}]+(?:['’][\\p{L}\\p{N}\\p{M}]+)*|[^\\s\\p{L}\\p{N}\\p{M}]";

/**
 * Patterns that run on the native (backtracking) `RegExp` engine. Each was
 * checked to match in linear time (no ambiguous nested repetition; a test
 * doubles hostile input for each), and GPT-2's needs a lookahead, which RE2
 * does not have. Every other pattern, and so every pattern a file can bring,
 * runs on RE2 (`re2js`), whose matching time is linear in its input.
 */
export const VETTED_PATTERNS: ReadonlySet<string> = new Set([
  GPT2_PATTERN,
  WHITESPACE_PATTERN,
  WHITESPACE_PUNCTUATION_PATTERN,
]);

/**
 * How far ahead (UTF-16 code units) one RE2 search may look. Finding every
 * match one after another costs up to (text length × search length): an
 * alternative such as `(a+)+$` in `(a+)+$|\S` must read to the end of the text
 * before `\S` may match one character, at every position. Bounding each search
 * keeps splitting linear in the text. The price, for patterns that are not
 * vetted only: a match is at most this long (one longer than half of it may be
 * missed where a window cuts it), and `$`, `\z` and `\b` see the end of a
 * window as the end of the text when the text goes on.
 */
export const RE2_WINDOW = 256;

/** Longest pattern source accepted, and largest compiled program (RE2 instructions). */
export const MAX_PATTERN_LENGTH = 4096;
export const MAX_PATTERN_INSTRUCTIONS = 20_000;

/** A compiled pre-tokenization pattern: calls `onMatch(start, end)` for each non-empty match, left to right. */
export interface SplitPattern {
  readonly source: string;
  readonly engine: 'native' | 're2';
  forEachMatch(text: string, onMatch: (start: number, end: number) => void): void;
}

/**
 * Compiles a pre-tokenization pattern: vetted patterns on the native engine
 * (flags `gu`), any other on RE2, with JavaScript's meaning of `\s`, `\S`, `.`
 * and `\uXXXX` kept (see {@link toRe2Syntax}). A pattern RE2 cannot compile
 * (lookaround, backreferences, over-long or too large) is a `ConfigError` on
 * `field`; readers of files turn it into `TokenizerError('corrupt')`.
 */
export function compileSplitPattern(pattern: string, field: string): SplitPattern {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new ConfigError(field, `expected a non-empty regular expression string, got ${typeof pattern}`);
  }
  if (VETTED_PATTERNS.has(pattern)) return nativePattern(pattern);
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new ConfigError(
      field,
      `regular expression is ${pattern.length} characters long (at most ${MAX_PATTERN_LENGTH})`,
    );
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(toRe2Syntax(pattern));
  } catch (error) {
    throw new ConfigError(
      field,
      `not a valid regular expression for the linear-time (RE2) engine: ${(error as Error).message}` +
        ' (lookaround and backreferences are not supported)',
    );
  }
  const size = re.re2().numberOfInstructions();
  if (size > MAX_PATTERN_INSTRUCTIONS) {
    throw new ConfigError(
      field,
      `regular expression is too large (${size} instructions, at most ${MAX_PATTERN_INSTRUCTIONS})`,
    );
  }
  return re2Pattern(pattern, re);
}

function nativePattern(source: string): SplitPattern {
  const regex = new RegExp(source, 'gu');
  return {
    source,
    engine: 'native',
    forEachMatch(text, onMatch) {
      regex.lastIndex = 0;
      while (regex.lastIndex < text.length) {
        const m = regex.exec(text);
        if (m === null) return;
        if (m[0].length === 0) {
          regex.lastIndex = m.index + 1;
          continue;
        }
        onMatch(m.index, m.index + m[0].length);
      }
    },
  };
}

function re2Pattern(source: string, re: RE2JS): SplitPattern {
  return {
    source,
    engine: 're2',
    forEachMatch(text, onMatch) {
      let pos = 0;
      while (pos < text.length) {
        // One code unit (two for a surrogate pair) of left context, so that `\b` and `^` see what precedes `pos`.
        let from = pos;
        if (from > 0) from -= isLowSurrogate(text, from - 1) && isHighSurrogate(text, from - 2) ? 2 : 1;
        let to = Math.min(text.length, pos + RE2_WINDOW);
        if (to < text.length && isLowSurrogate(text, to) && isHighSurrogate(text, to - 1)) to++;
        const matcher = re.matcher(text.slice(from, to));
        if (!matcher.find(pos - from)) {
          // Nothing in this window. The next one overlaps it by half, so a match up to half a window
          // long is never missed by being cut; each unit is still searched at most twice.
          if (to === text.length) return;
          pos = Math.max(pos + 1, to - (RE2_WINDOW >> 1));
          if (isLowSurrogate(text, pos) && isHighSurrogate(text, pos - 1)) pos++;
          continue;
        }
        const start = from + matcher.start();
        const end = from + matcher.end();
        if (end > start) {
          onMatch(start, end);
          pos = end;
        } else {
          pos = start + (isHighSurrogate(text, start) && isLowSurrogate(text, start + 1) ? 2 : 1);
        }
      }
    },
  };
}

function isHighSurrogate(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

/** JavaScript's `\s`: WhiteSpace and LineTerminator, as RE2 class items. */
const JS_SPACE =
  '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
/** Everything but JavaScript's `\s` (for `\S` inside a class). */
const JS_NON_SPACE =
  '\\x{0}-\\x{8}\\x{E}-\\x{1F}\\x{21}-\\x{9F}\\x{A1}-\\x{167F}\\x{1681}-\\x{1FFF}\\x{200B}-\\x{2027}' +
  '\\x{202A}-\\x{202E}\\x{2030}-\\x{205E}\\x{2060}-\\x{2FFF}\\x{3001}-\\x{FEFE}\\x{FF00}-\\x{10FFFF}';

/**
 * Rewrites the few escapes whose meaning differs between JavaScript (flag `u`)
 * and RE2 so that a pattern means what its author, thinking in JavaScript,
 * meant: `\s`/`\S` (RE2's are ASCII only), `.` (JavaScript's excludes `\r`,
 * U+2028 and U+2029 as well as `\n`), `\uXXXX` and `\u{X}` (RE2 spells them
 * `\x{..}`), and `[^]` / `[]`. Everything else is passed through for RE2 to
 * accept or refuse.
 */
export function toRe2Syntax(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === 'S') out += inClass ? JS_NON_SPACE : `[^${JS_SPACE}]`;
      else if (next === 'u' && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        if (close < 0) throw new Error('\\u{ without a closing }');
        out += `\\x{${pattern.slice(i + 3, close)}}`;
        i = close;
        continue;
      } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(pattern.slice(i + 2, i + 6))) {
        out += `\\x{${pattern.slice(i + 2, i + 6)}}`;
        i += 5;
        continue;
      } else out += c + (next ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      if (pattern.startsWith('[^]', i)) {
        out += '[\\x{0}-\\x{10FFFF}]';
        i += 2;
      } else if (pattern.startsWith('[]', i)) {
        out += '[^\\x{0}-\\x{10FFFF}]';
        i += 1;
      } else {
        inClass = true;
        out += c;
        // A `^` right after `[` negates; copy it so that it is not read as a class member.
        if (pattern[i + 1] === '^') out += pattern[++i];
      }
    } else if (c === '.') out += '[^\\n\\r\\x{2028}\\x{2029}]';
    else out += c;
  }
  return out;
}

/**
 * Walks `text` with a split pattern and reports every match and every gap
 * between matches, so that the pieces always concatenate back to `text`.
 * Empty matches are skipped (they would loop forever and carry no text).
 */
export function regexSplit(
  text: string,
  pattern: SplitPattern,
  onPiece: (piece: string, start: number, matched: boolean) => void,
): void {
  let last = 0;
  pattern.forEachMatch(text, (start, end) => {
    if (start > last) onPiece(text.slice(last, start), last, false);
    onPiece(text.slice(start, end), start, true);
    last = end;
  });
  if (last < text.length) onPiece(text.slice(last), last, false);
}
