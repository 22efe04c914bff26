/**
 * Encode/decode throughput of the byte-level BPE tokenizer on Moby-Dick, side
 * by side in one run with established JS BPE tokenizers on the same text:
 * gpt-tokenizer and js-tiktoken, both with GPT-2's r50k_base (same
 * pre-tokenization regex family, byte-level BPE). Not a test.
 *
 *   pnpm --filter @seqgen/tokenizers bench [--runs 3] [--reps 5]
 *
 * The machine may be shared, so one figure says little: the bench runs
 * `--runs` rounds, each timing every tokenizer `--reps` times with the
 * tokenizers interleaved (rep 1 of all, then rep 2 of all, ...), takes each
 * round's median, and prints the spread (min / median / max) over rounds and
 * the spread of the same-round speed ratios.
 */

import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { readMobyDick } from '@seqgen/test-utils';
import { decode as gptDecode, encode as gptEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { Tiktoken } from 'js-tiktoken/lite';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { ByteBpeTokenizer } from '../src/byte-bpe-tokenizer.ts';
import { CharTokenizer } from '../src/char-tokenizer.ts';
import { GPT2_PATTERN } from '../src/regex-split.ts';
import { WordTokenizer } from '../src/word-tokenizer.ts';

interface Candidate {
  name: string;
  encode: (text: string) => number[];
  decode: (ids: number[]) => string;
}

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    reps: { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    'Usage: pnpm --filter @seqgen/tokenizers bench [--runs N (rounds, default 3)] [--reps M (timings per round, default 5)]',
  );
  process.exit(0);
}
const RUNS = Number(args.runs);
const REPS = Number(args.reps);
for (const [name, value] of [
  ['--runs', RUNS],
  ['--reps', REPS],
] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

const text = readMobyDick();
const megabytes = Buffer.byteLength(text, 'utf8') / 1e6;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

// V8 builds a string joined piece by piece as a rope and copies it into one flat string on first read; reading a
// character forces that, so "decode + read" is what a caller that uses the text pays.
function readOnce(s: string): string {
  s.charCodeAt(s.length >> 1);
  return s;
}

const [ours, trainMs] = time(() => ByteBpeTokenizer.train(text, { vocabSize: 8192, specialTokens: ['<|endoftext|>'] }));
const tiktoken = new Tiktoken(r50k);
const char = CharTokenizer.fromText(text);
// The same merges with a pattern that is not vetted, so that it runs on RE2 (GPT-2's without its
// lookahead, which RE2 lacks): what a tokenizer loaded with a custom pattern from a file costs.
const oursRe2 = new ByteBpeTokenizer(ours.merges, {
  specialTokens: ours.specialTokens,
  pattern: GPT2_PATTERN.replace('|\\s+(?!\\S)', ''),
});
// Word tokenizers: the vetted default pattern (native) against an equivalent custom one (RE2).
const wordNative = WordTokenizer.train(text, { separator: '' });
const wordRe2 = new WordTokenizer(wordNative.toJSON().vocab as string[], {
  separator: '',
  preTokenizer: {
    type: 'regex',
    pattern: "[\\p{L}\\p{N}\\p{M}]+(?:['’][\\p{L}\\p{N}\\p{M}]+)*|[^\\s\\p{L}\\p{N}\\p{M}]|(?:)",
  },
});

const candidates: Candidate[] = [
  { name: '@seqgen/tokenizers byte-bpe (8,192)', encode: (t) => ours.encode(t), decode: (ids) => ours.decode(ids) },
  { name: 'gpt-tokenizer r50k_base (50,257)', encode: (t) => gptEncode(t), decode: (ids) => gptDecode(ids) },
  { name: 'js-tiktoken r50k_base (50,257)', encode: (t) => tiktoken.encode(t), decode: (ids) => tiktoken.decode(ids) },
  { name: '@seqgen/tokenizers char', encode: (t) => char.encode(t), decode: (ids) => char.decode(ids) },
  {
    name: '@seqgen/tokenizers byte-bpe (8,192), custom pattern on RE2',
    encode: (t) => oursRe2.encode(t),
    decode: (ids) => oursRe2.decode(ids),
  },
  {
    name: '@seqgen/tokenizers word, vetted pattern (native)',
    encode: (t) => wordNative.encode(t),
    decode: (ids) => wordNative.decode(ids),
  },
  {
    name: '@seqgen/tokenizers word, same pattern on RE2',
    encode: (t) => wordRe2.encode(t),
    decode: (ids) => wordRe2.decode(ids),
  },
];

/** MB/s of one round (the median of its reps) for each measure. */
interface Round {
  encode: number;
  decode: number;
  decodeRead: number;
}

const loadBefore = loadavg();
// The first encode of each is "cold": every merge cache starts empty (later rounds reuse the warm caches).
const ids = candidates.map(() => [] as number[]);
const coldEncode = candidates.map((c, i) => {
  const [out, ms] = time(() => c.encode(text));
  ids[i] = out;
  return megabytes / (ms / 1000);
});
const exact = candidates.map((c, i) => c.decode(ids[i]!) === text);
const rounds: Round[][] = candidates.map(() => []);
for (let r = 0; r < RUNS; r++) {
  const ms = candidates.map(() => ({ encode: [] as number[], decode: [] as number[], decodeRead: [] as number[] }));
  for (let rep = 0; rep < REPS; rep++) {
    candidates.forEach((c, i) => {
      ms[i]!.encode.push(time(() => c.encode(text))[1]);
      ms[i]!.decode.push(time(() => c.decode(ids[i]!))[1]);
      ms[i]!.decodeRead.push(time(() => readOnce(c.decode(ids[i]!)))[1]);
    });
  }
  ms.forEach((m, i) => {
    const rate = (xs: number[]) => megabytes / (median(xs) / 1000);
    rounds[i]!.push({ encode: rate(m.encode), decode: rate(m.decode), decodeRead: rate(m.decodeRead) });
  });
}
const loadAfter = loadavg();

const fmt = (x: number) => x.toFixed(1);
const spread = (xs: number[], digits = 1, unit = '') =>
  `${Math.min(...xs).toFixed(digits)}${unit} / ${median(xs).toFixed(digits)}${unit} / ${Math.max(...xs).toFixed(digits)}${unit}`;
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(
  `Moby-Dick (${megabytes.toFixed(2)} MB UTF-8), Node ${process.version}; ${RUNS} rounds × ${REPS} interleaved timings, each round's median; spread over rounds as min / median / max; training the 8,192-token BPE took ${(trainMs / 1000).toFixed(2)} s; load average ${load(loadBefore)} before, ${load(loadAfter)} after\n`,
);
console.log(
  '| tokenizer | encode cold MB/s | encode MB/s | decode MB/s | decode + read MB/s | tokens | bytes/token | exact round trip |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |');
candidates.forEach((c, i) => {
  const rs = rounds[i]!;
  console.log(
    `| ${c.name} | ${fmt(coldEncode[i]!)} | ${spread(rs.map((r) => r.encode))} | ${spread(rs.map((r) => r.decode))} | ${spread(rs.map((r) => r.decodeRead))} | ${ids[i]!.length.toLocaleString('en-US')} | ${((megabytes * 1e6) / ids[i]!.length).toFixed(2)} | ${exact[i] ? 'yes' : 'no'} |`,
  );
});
console.log(
  '\n| ratio (@seqgen byte-bpe ÷ peer, same round) | encode cold | encode | decode | decode + read | decode ≥ peer in every round |',
);
console.log('| --- | ---: | ---: | ---: | ---: | :---: |');
for (const p of [1, 2]) {
  const ratio = (key: keyof Round) => rounds[0]!.map((r, k) => r[key] / rounds[p]![k]![key]);
  const decode = ratio('decode');
  console.log(
    `| vs ${candidates[p]!.name} | ${(coldEncode[0]! / coldEncode[p]!).toFixed(2)}× | ${spread(ratio('encode'), 2, '×')} | ${spread(decode, 2, '×')} | ${spread(ratio('decodeRead'), 2, '×')} | ${decode.every((x) => x >= 1) ? 'yes' : 'no'} |`,
  );
}
