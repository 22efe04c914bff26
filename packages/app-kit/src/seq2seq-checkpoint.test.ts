import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@seqgen/core';
import { RecurrentLanguageModel, Seq2Seq } from '@seqgen/models';
import { readMobyDick, rejected, thrown } from '@seqgen/test-utils';
import { ByteBpeTokenizer, CharTokenizer, DEFAULT_SPECIAL_TOKENS } from '@seqgen/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor, InputError } from './errors.js';
import { buildJointSeq2Seq, specialTokenIds } from './joint-seq2seq.js';
import { loadSeq2SeqCheckpoint } from './seq2seq-checkpoint.js';

let dir: string;
let tokenizer: ByteBpeTokenizer;
const options = {
  cell: 'gru',
  attention: 'bahdanau',
  layers: 1,
  hidden: 8,
  embedding: 4,
  bidirectional: false,
  inputFeeding: true,
  dropout: 0,
  labelSmoothing: 0,
  seed: 1,
} as const;

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-kit-seq2seq-'));
  tokenizer = ByteBpeTokenizer.train(readMobyDick().slice(0, 3_000), {
    vocabSize: 270,
    specialTokens: [...DEFAULT_SPECIAL_TOKENS],
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('joint-vocabulary encoder-decoders', () => {
  it('are built from the options with one vocabulary on both sides and the special ids of the tokenizer', () => {
    const model = buildJointSeq2Seq(options, tokenizer, 'seqgen-x');
    try {
      const config = model.getConfig() as Record<string, unknown>;
      expect(config).toMatchObject({ sourceVocabSize: 270, targetVocabSize: 270, hiddenSize: 8, embeddingSize: 4 });
      expect(config).toMatchObject(specialTokenIds(tokenizer, 'seqgen-x'));
      expect(specialTokenIds(tokenizer, 'seqgen-x').padId).toBe(tokenizer.tokenToId('<pad>'));
    } finally {
      model.dispose();
    }
    const plain = CharTokenizer.fromText('abc', { specialTokens: ['<unk>'] });
    const error = thrown(() => specialTokenIds(plain, 'seqgen-x'), InputError);
    expect(error.message).toBe('the tokenizer has no <pad> token (not written by seqgen-x prepare)');
  });

  it('load back from a checkpoint, and anything else is an input error (exit 3) saying what it holds', async () => {
    const path = join(dir, 'seq2seq');
    const model = buildJointSeq2Seq(options, tokenizer, 'seqgen-x');
    await model.save(path, { preprocessors: { source: tokenizer, target: tokenizer }, metadata: { app: 'x' } });
    model.dispose();
    const loaded = await loadSeq2SeqCheckpoint(path, { cli: 'seqgen-x' });
    expect(loaded.model).toBeInstanceOf(Seq2Seq);
    expect(loaded.metadata).toMatchObject({ app: 'x' });
    expect(Object.keys(loaded.preprocessors).sort()).toEqual(['source', 'target']);
    expect(loaded.path).toBe(path);
    loaded.model.dispose();

    const lmPath = join(dir, 'lm');
    const lm = new RecurrentLanguageModel({ vocabSize: 6, embeddingSize: 3, hiddenSize: 4 });
    await lm.save(lmPath);
    lm.dispose();
    const notA = await rejected(
      loadSeq2SeqCheckpoint(lmPath, { cli: 'seqgen-x', notA: 'a translation model' }),
      InputError,
    );
    expect(notA.message).toBe(
      `checkpoint ${lmPath} holds a model of type "recurrent-lm" (not a translation model): seqgen-x needs an encoder-decoder checkpoint written by seqgen-x train`,
    );
    expect(exitCodeFor(notA)).toBe(3);
    const missing = await rejected(loadSeq2SeqCheckpoint(join(dir, 'none'), { cli: 'seqgen-x' }), InputError);
    expect(missing.message).toBe(`checkpoint not found: ${join(dir, 'none')}`);
    writeFileSync(join(path, 'checkpoint.json'), '{"format":');
    const damaged = await rejected(loadSeq2SeqCheckpoint(path, { cli: 'seqgen-x' }), InputError);
    expect(damaged.message).toMatch(/^cannot load checkpoint .*seq2seq: /);
  });
});
