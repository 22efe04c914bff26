import { pythonSplit } from './python-whitespace.js';

// mteval-v13a's language-dependent rules, as sacreBLEU applies them in order.
const RULES: [RegExp, string][] = [
  // Split off most ASCII punctuation and symbols (not ' , - .).
  [/([{-~[-` -&(-+:-@/])/g, ' $1 '],
  // Period and comma unless preceded by a digit...
  [/([^0-9])([.,])/g, '$1 $2 '],
  // ...or unless followed by a digit.
  [/([.,])([^0-9])/g, ' $1 $2'],
  // A dash after a digit.
  [/([0-9])(-)/g, '$1 $2 '],
];

/**
 * sacreBLEU's default `13a` tokenizer (the one WMT's mteval-v13a.pl uses):
 * drops `<skipped>`, joins lines, unescapes `&quot; &amp; &lt; &gt;`, splits
 * punctuation off words (keeping `3.14` and `1,000` whole) and returns the
 * tokens joined by single spaces.
 */
export function tokenize13a(line: string): string {
  let text = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) {
    text = text.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  text = ` ${text} `;
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return pythonSplit(text).join(' ');
}
