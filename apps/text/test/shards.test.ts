import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import { interruptAndResume } from '@seqgen/test-utils';
import { tokenizerFromJSON } from '@seqgen/tokenizers';
import { openTokenShards } from '@seqgen/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../src/corpus.js';
import { tokenizeCorpus } from '../src/tokenize.js';
import { train } from '../src/train.js';
import { cli, mobySlice, readJson } from './run-cli.js';

let dir: string;
let corpus: string;
const quiet = { info: () => {}, result: () => {} };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-text-shards-'));
  // A folder of two files (one with CRLF line ends), as a user's corpus folder would be.
  corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'a.txt'), mobySlice(20_000, 60_000));
  writeFileSync(join(corpus, 'b.txt'), mobySlice(300_000, 30_000).replace(/\n/g, '\r\n'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every id of a shard set: its train stream, then its held-out stream. */
function allIds(out: string): number[] {
  const shards = openTokenShards(out, { verify: 'sha256' });
  const ids = [
    ...shards.read('train', 0, shards.tokenCount('train')),
    ...shards.read('heldout', 0, shards.tokenCount('heldout')),
  ];
  shards.close();
  return ids;
}

describe('seqgen-text tokenize', () => {
  it('threads and small pieces give the ids of tokenizing the whole corpus at once', async () => {
    for (const tokenizer of ['char', 'bpe'] as const) {
      const threaded = join(dir, `${tokenizer}-threaded`);
      const single = join(dir, `${tokenizer}-single`);
      const summary = await tokenizeCorpus({
        corpus,
        out: threaded,
        tokenizer,
        threads: 2,
        pieceKb: 2,
        shardMb: 0.05,
        sampleMb: 0.03,
        output: quiet,
      });
      await tokenizeCorpus({ corpus, out: single, tokenizer, threads: 1, sampleMb: 0.03, output: quiet });
      expect(summary.shards).toBeGreaterThan(2);
      // Each set against its own tokenizer (the vocabulary samples differ with the piece size).
      const whole = (out: string) =>
        tokenizerFromJSON((readJson(join(out, 'manifest.json')) as { tokenizer: unknown }).tokenizer).encode(
          readCorpus(corpus),
        );
      expect(allIds(threaded)).toEqual(whole(threaded));
      expect(allIds(single)).toEqual(whole(single));
      const ids = whole(threaded);
      // The last ~10% of the bytes are held out, from a line start.
      expect(summary.tokens.heldout / ids.length).toBeGreaterThan(0.08);
      expect(summary.tokens.heldout / ids.length).toBeLessThan(0.12);
    }
  });

  it('refuses a non-empty --out, a binary corpus and a corpus too small to hold out', async () => {
    const out = corpus; // a folder that holds files
    await expect(tokenizeCorpus({ corpus, out, tokenizer: 'char', output: quiet })).rejects.toThrow(
      `${out} already exists and is not empty (use --force to replace it)`,
    );
    await expect(
      tokenizeCorpus({ corpus, out: join(corpus, 'a.txt'), tokenizer: 'char', output: quiet }),
    ).rejects.toThrow(/a\.txt exists and is not a folder/);
    const binary = join(dir, 'binary.txt');
    writeFileSync(binary, Buffer.from([0x61, 0x0a, 0x62, 0x00, 0x63, 0x0a]));
    await expect(
      tokenizeCorpus({ corpus: binary, out: join(dir, 'b'), tokenizer: 'char', output: quiet }),
    ).rejects.toThrow(/corpus looks binary \(NUL byte at stream offset 3\)/);
    const oneLine = join(dir, 'one-line.txt');
    writeFileSync(oneLine, 'call me ishmael, some years ago, never mind how long precisely');
    await expect(
      tokenizeCorpus({ corpus: oneLine, out: join(dir, 'c'), tokenizer: 'char', output: quiet }),
    ).rejects.toThrow(InputError);
  });
});

describe('seqgen-text train --shards', () => {
  it('a truncated shard is an input error naming the file', async () => {
    const damaged = join(dir, 'damaged');
    await tokenizeCorpus({ corpus, out: damaged, tokenizer: 'char', shardMb: 0.05, output: quiet });
    truncateSync(join(damaged, 'train-00001.bin'), 1000);
    const options = {
      shards: damaged,
      out: join(dir, 'never'),
      tokenizer: 'char' as const,
      cell: 'lstm' as const,
      layers: 1,
      hidden: 8,
      embedding: 4,
      dropout: 0,
      steps: 2,
      seqLen: 8,
      batch: 2,
      lr: 0.01,
      seed: 1,
      sampleLength: 0,
      output: quiet,
    };
    await expect(train(options)).rejects.toThrow(
      `cannot read shards: ${join(damaged, 'train-00001.bin')}: holds 1000 bytes; 26214 uint16 tokens need 52428`,
    );
  });

  it('trains from shards; Ctrl-C and --resume continue at the exact position; the checkpoint carries the tokenizer', async () => {
    const shards = join(dir, 'train-shards');
    await tokenizeCorpus({ corpus, out: shards, tokenizer: 'char', threads: 2, shardMb: 0.05, output: quiet });
    const small = ['--batch', '4', '--seq-len', '16', '--sample-length', '10', '--hidden', '16', '--embedding', '8'];
    const steps = 12;
    const out = join(dir, 'interrupted', 'run');
    await interruptAndResume({
      cli,
      name: 'seqgen-text',
      train: ['train', '--shards', shards, ...small, '--validate-every', '1', '--steps', String(steps)],
      steps,
      out,
      straightOut: join(dir, 'straight'),
      when: /step 2: held-out/,
    });
    const manifest = readJson(join(out, 'checkpoint.json')) as {
      preprocessors: { tokenizer: unknown };
      metadata: { shards: string; heldOut: { loss: number } };
    };
    // The checkpoint carries the shards' tokenizer, so generate and eval need nothing else.
    expect(manifest.preprocessors.tokenizer).toEqual(readJson(join(shards, 'manifest.json')).tokenizer);
    expect(manifest.metadata.shards).toBe(shards);
    expect(Number.isFinite(manifest.metadata.heldOut.loss)).toBe(true);
    expect(manifest.metadata.heldOut.loss).toBeLessThan(Math.log(80));
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toMatch(/"shards":/);
  });
});
