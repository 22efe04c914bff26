/** Abbreviations whose full stop does not end a sentence (lower case, without the stop). */
export const NON_FINAL_ABBREVIATIONS: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'sr',
  'prof',
  'capt',
  'col',
  'gen',
  'lt',
  'sgt',
  'rev',
  'gov',
  'no',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'mt',
  'ft',
]);

/**
 * Splits running text into sentences at `.`, `!`, `?` (and runs of them,
 * with closing quotes or brackets) followed by white space, except after a
 * known abbreviation (`Dr. Smith`), a single capital initial (`J. Smith`) or
 * a decimal point. Blank lines always end a sentence. Returns trimmed,
 * non-empty sentences; an empty or blank text gives `[]`.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s+/g, ' ').trim();
    let start = 0;
    const boundary = /[.!?]+["'’”)\]]*(?=\s)/g;
    for (let m = boundary.exec(flat); m !== null; m = boundary.exec(flat)) {
      const end = m.index + m[0].length;
      if (m[0].startsWith('.') && m[0].length === 1) {
        const word = /([A-Za-z.]+)$/.exec(flat.slice(start, m.index))?.[1] ?? '';
        if (NON_FINAL_ABBREVIATIONS.has(word.toLowerCase()) || /^[A-Z]$/.test(word)) continue;
      }
      const sentence = flat.slice(start, end).trim();
      if (sentence) sentences.push(sentence);
      start = end;
    }
    const last = flat.slice(start).trim();
    if (last) sentences.push(last);
  }
  return sentences;
}
