/**
 * Encode/decode throughput of the byte-level BPE tokenizer on Moby-Dick, side
 * by side in one run with established JS BPE tokenizers on the same text:
 * gpt-tokenizer and js-tiktoken, both with GPT-2's r50k_base (same
 * pre-tokenization regex family, byte-level BPE). Not a test.
 *
 *   pnpm --filter @seqgen/tokenizers bench
 */

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

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const text = readMobyDick();
const megabytes = Buffer.byteLength(text, 'utf8') / 1e6;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
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

interface Row {
  name: string;
  coldEncode: number;
  encode: number;
  decode: number;
  tokens: number;
  exact: boolean;
}

const rows: Row[] = [];
for (const c of candidates) {
  // First pass is "cold": every merge cache starts empty.
  const [ids, coldMs] = time(() => c.encode(text));
  const encodeMs: number[] = [];
  const decodeMs: number[] = [];
  let back = '';
  for (let r = 0; r < RUNS; r++) {
    encodeMs.push(time(() => c.encode(text))[1]);
    const [decoded, ms] = time(() => c.decode(ids));
    decodeMs.push(ms);
    back = decoded;
  }
  rows.push({
    name: c.name,
    coldEncode: megabytes / (coldMs / 1000),
    encode: megabytes / (median(encodeMs) / 1000),
    decode: megabytes / (median(decodeMs) / 1000),
    tokens: ids.length,
    exact: back === text,
  });
}

const base = rows[0]!;
const peers = rows.slice(1, 3);
const fmt = (x: number) => x.toFixed(1);
console.log(
  `Moby-Dick (${megabytes.toFixed(2)} MB UTF-8), Node ${process.version}, median of ${RUNS} runs after one cold run; training the 8,192-token BPE took ${(trainMs / 1000).toFixed(2)} s\n`,
);
console.log('| tokenizer | encode cold MB/s | encode MB/s | decode MB/s | tokens | bytes/token | exact round trip |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | :---: |');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${fmt(r.coldEncode)} | ${fmt(r.encode)} | ${fmt(r.decode)} | ${r.tokens.toLocaleString('en-US')} | ${((megabytes * 1e6) / r.tokens).toFixed(2)} | ${r.exact ? 'yes' : 'no'} |`,
  );
}
console.log('\n| ratio (@seqgen byte-bpe ÷ peer) | encode cold | encode | decode |');
console.log('| --- | ---: | ---: | ---: |');
for (const p of peers) {
  console.log(
    `| vs ${p.name} | ${(base.coldEncode / p.coldEncode).toFixed(2)}× | ${(base.encode / p.encode).toFixed(2)}× | ${(base.decode / p.decode).toFixed(2)}× |`,
  );
}
