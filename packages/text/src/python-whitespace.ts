// The characters Python's `str.split()` / `str.rstrip()` treat as whitespace
// (`str.isspace`), which sacreBLEU relies on; JavaScript's `\s` differs
// (it has U+FEFF, lacks U+001C–U+001F and U+0085).
const WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const RUNS = new RegExp(`[${WHITESPACE}]+`, 'g');
const TRAILING = new RegExp(`[${WHITESPACE}]+$`);

/** Python's `text.split()`: the non-empty runs between whitespace. */
export function pythonSplit(text: string): string[] {
  return text.split(RUNS).filter((part) => part !== '');
}

/** Python's `text.rstrip()`. */
export function pythonRstrip(text: string): string {
  return text.replace(TRAILING, '');
}
