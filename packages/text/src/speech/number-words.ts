import { ConfigError } from '@seqgen/base';

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion'];

/** The largest integer {@link numberWords} spells (just under a quadrillion); longer digit runs are read digit by digit. */
export const MAX_SPELLED_NUMBER = 999_999_999_999_999;

function belowThousand(n: number): string {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) words.push(ONES[hundreds] as string, 'hundred');
  if (rest > 0 && rest < 20) words.push(ONES[rest] as string);
  else if (rest >= 20) {
    const unit = rest % 10;
    words.push(unit === 0 ? (TENS[Math.floor(rest / 10)] as string) : `${TENS[Math.floor(rest / 10)]}-${ONES[unit]}`);
  }
  return words.join(' ');
}

/**
 * English words for a non-negative integer up to {@link MAX_SPELLED_NUMBER}
 * (`1905` → `one thousand nine hundred five`), the way a TTS front end reads
 * cardinals.
 *
 * @throws `ConfigError` for a negative, fractional or too large number.
 */
export function numberWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SPELLED_NUMBER) {
    throw new ConfigError('n', `must be an integer in [0, ${MAX_SPELLED_NUMBER}], got ${String(n)}`);
  }
  if (n === 0) return 'zero';
  const groups: string[] = [];
  let rest = n;
  for (let scale = 0; rest > 0; scale++) {
    const group = rest % 1000;
    if (group > 0) groups.unshift(SCALES[scale] ? `${belowThousand(group)} ${SCALES[scale]}` : belowThousand(group));
    rest = Math.floor(rest / 1000);
  }
  return groups.join(' ');
}

const ORDINAL_ENDINGS: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

/**
 * English ordinal words (`21` → `twenty-first`).
 *
 * @throws `ConfigError` as {@link numberWords}.
 */
export function ordinalWords(n: number): string {
  const cardinal = numberWords(n);
  const match = /([a-z]+)$/.exec(cardinal) as RegExpExecArray;
  const last = match[1] as string;
  const ordinal = ORDINAL_ENDINGS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return cardinal.slice(0, cardinal.length - last.length) + ordinal;
}
