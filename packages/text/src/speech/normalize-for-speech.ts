import { ShapeError } from '@seqgen/base';
import { MAX_SPELLED_NUMBER, numberWords, ordinalWords } from './number-words.js';

/** Abbreviations a TTS front end reads out in full (matched case-insensitively, with their full stop). */
const ABBREVIATIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bmrs\./gi, 'missus'],
  [/\bmr\./gi, 'mister'],
  [/\bms\./gi, 'miz'],
  [/\bdr\./gi, 'doctor'],
  [/\bst\./gi, 'saint'],
  [/\bjr\./gi, 'junior'],
  [/\bsr\./gi, 'senior'],
  [/\bprof\./gi, 'professor'],
  [/\bcapt\./gi, 'captain'],
  [/\bcol\./gi, 'colonel'],
  [/\bgen\./gi, 'general'],
  [/\blt\./gi, 'lieutenant'],
  [/\bsgt\./gi, 'sergeant'],
  [/\brev\./gi, 'reverend'],
  [/\bgov\./gi, 'governor'],
  [/\bmt\./gi, 'mount'],
  [/\bft\./gi, 'feet'],
  [/\betc\./gi, 'et cetera'],
  [/\bvs\./gi, 'versus'],
  [/\be\.g\./gi, 'for example'],
  [/\bi\.e\./gi, 'that is'],
  [/\bno\.(?=\s*\d)/gi, 'number'],
];

/** Symbols read as words. */
const SYMBOL_WORDS: Record<string, string> = {
  '&': ' and ',
  '+': ' plus ',
  '=': ' equals ',
  '@': ' at ',
  '%': ' percent ',
  '#': ' number ',
};

/** Digits as words, one by one, for runs too long to read as a number. */
function digitWords(digits: string): string {
  return [...digits].map((d) => numberWords(Number(d))).join(' ');
}

/** An integer string as words: a number when it fits, digit by digit when it does not (or has a leading zero). */
function integerWords(digits: string): string {
  const n = Number(digits);
  if (digits.length > 1 && digits.startsWith('0')) return digitWords(digits);
  return n <= MAX_SPELLED_NUMBER ? numberWords(n) : digitWords(digits);
}

/**
 * Text as a character-level TTS model reads it: accents folded
 * (`café` → `cafe`), abbreviations expanded (`Dr.` → `doctor`), numbers,
 * ordinals, decimals, amounts of money and percentages spelled out
 * (`$3.50` → `three dollars and fifty cents`, `21st` → `twenty first`; hyphens become spaces),
 * symbols read as words, lower-cased, quotes and brackets dropped, `;` `:`
 * and dashes turned into commas, white space collapsed. Letters outside
 * a–z (another script) are kept as they are, so that the model's symbol
 * table can refuse them by name.
 *
 * @throws `ShapeError` when `text` is not a string.
 */
export function normalizeForSpeech(text: string): string {
  if (typeof text !== 'string') {
    throw new ShapeError('text', 'a string', text === null ? 'null' : typeof text, 'normalizeForSpeech');
  }
  let t = text.normalize('NFKD').replace(/\p{M}/gu, '');
  t = t.replace(/[‘’ʼ`]/g, "'").replace(/[“”«»"]/g, ' ');
  for (const [pattern, words] of ABBREVIATIONS) t = t.replace(pattern, ` ${words} `);
  t = t.replace(/(\d),(?=\d{3}\b)/g, '$1');
  t = t.replace(/([$£€])(\d+)(?:\.(\d{2}))?\b/g, (_, currency: string, whole: string, cents?: string) => {
    const [one, many, sub] =
      currency === '$'
        ? ['dollar', 'dollars', 'cents']
        : currency === '£'
          ? ['pound', 'pounds', 'pence']
          : ['euro', 'euros', 'cents'];
    const main = `${integerWords(whole)} ${whole === '1' ? one : many}`;
    return cents && cents !== '00' ? ` ${main} and ${integerWords(String(Number(cents)))} ${sub} ` : ` ${main} `;
  });
  t = t.replace(/\b(\d+)(st|nd|rd|th)\b/gi, (_, digits: string) =>
    digits.length <= 15 ? ` ${ordinalWords(Number(digits))} ` : ` ${digitWords(digits)} `,
  );
  t = t.replace(
    /(\d+)\.(\d+)/g,
    (_, whole: string, fraction: string) => ` ${integerWords(whole)} point ${digitWords(fraction)} `,
  );
  t = t.replace(/\d+/g, (digits) => ` ${integerWords(digits)} `);
  t = t.replace(/[&+=@%#]/g, (symbol) => SYMBOL_WORDS[symbol] as string);
  t = t.toLowerCase();
  t = t
    .replace(/\s*(?:--|[—–;:()[\]{}])\s*/g, ', ')
    .replace(/(\w)-(?=\w)/g, '$1 ')
    .replace(/[-_*/\\|<>~^]/g, ' ');
  t = t
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.!?])/g, '$1')
    .replace(/([,.!?])[,.!?]+/g, '$1');
  t = t.replace(/^[\s,.!?']+/, '').trim();
  return t;
}
