import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import { openTokenShards, writeTokenShards } from '@seqgen/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLanguageModel } from '../src/checkpoint.js';
import { generateText } from '../src/generate.js';
import { tokenizeCorpus } from '../src/tokenize.js';
import { type TorchDdpOptions, TorchJobError, torchPython, trainTorchDdp } from '../src/torch-ddp.js';
import { appRoot, mobySlice, runCli } from './run-cli.js';

/** PyTorch is needed; missing it fails under SEQGEN_TORCH_REQUIRED=1 (CI installs python3-torch) and skips otherwise. */
function torchAvailable(): boolean {
  const probe = spawnSync(torchPython(), ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0 && process.env.SEQGEN_TORCH_REQUIRED === '1') {
    throw new Error(`SEQGEN_TORCH_REQUIRED=1 but ${torchPython()} cannot import torch: ${probe.stderr ?? probe.error}`);
  }
  return probe.status === 0;
}

const hasTorch = torchAvailable();
const quiet = { info: () => {}, result: () => {} };
const OPTIONS: Omit<TorchDdpOptions, 'shards' | 'out' | 'nproc'> = {
  cell: 'lstm',
  layers: 2,
  hidden: 24,
  embedding: 12,
  dropout: 0.1,
  steps: 12,
  batch: 4,
  seqLen: 16,
  lr: 0.01,
  seed: 3,
  device: 'cpu',
  output: quiet,
};

describe.skipIf(!hasTorch)('seqgen-text train --engine torch-ddp', () => {
  let dir: string;
  let shards: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seqgen-app-text-ddp-'));
    writeFileSync(join(dir, 'corpus.txt'), mobySlice(40_000, 24_000));
    shards = join(dir, 'shards');
    await tokenizeCorpus({
      corpus: join(dir, 'corpus.txt'),
      out: shards,
      tokenizer: 'char',
      threads: 1,
      output: quiet,
    });
  }, 30_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tokenizes, trains on 2 processes and imports a checkpoint whose held-out loss in seqgen equals PyTorch’s', async () => {
    const out = join(dir, 'run');
    const o = OPTIONS;
    const res = runCli([
      // From the corpus: the command tokenizes it into shards first.
      ...['train', '--engine', 'torch-ddp', '--nproc', '2', '--corpus', join(dir, 'corpus.txt'), '--out', out],
      ...['--cell', o.cell, '--layers', `${o.layers}`, '--hidden', `${o.hidden}`, '--embedding', `${o.embedding}`],
      ...['--dropout', `${o.dropout}`, '--steps', `${o.steps}`, '--batch', `${o.batch}`, '--seq-len', `${o.seqLen}`],
      ...['--lr', `${o.lr}`, '--seed', `${o.seed}`],
    ]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/step 12: loss \d/);
    const loaded = await loadLanguageModel(out);
    try {
      const meta = loaded.metadata as {
        engine: string;
        nproc: number;
        heldOut: { loss: number };
        torchHeldOutLoss: number;
      };
      expect(meta.engine).toBe('torch-ddp');
      expect(meta.nproc).toBe(2);
      // Trained a little: below the uniform loss over the vocabulary.
      expect(meta.heldOut.loss).toBeLessThan(Math.log(loaded.model.vocabSize));
      expect(Math.abs(meta.heldOut.loss - meta.torchHeldOutLoss)).toBeLessThan(1e-4);
    } finally {
      loaded.model.dispose();
    }
    // The checkpoint is an ordinary one: generate reads it unchanged.
    const generated = await generateText({
      checkpoint: out,
      prime: 'The whale',
      length: 20,
      temperature: 1,
      topP: 1,
      seed: 1,
      strategy: 'greedy',
      beams: 1,
      write: () => {},
    });
    expect(generated.text.startsWith('The whale')).toBe(true);
    expect(generated.tokens).toBe(20);
  }, 60_000);

  it('surfaces a failing PyTorch job as a typed error and publishes no checkpoint', async () => {
    // A set whose held-out split is 2 tokens: rank 0 fails after training and saving, while evaluating.
    const good = openTokenShards(shards);
    const tiny = join(dir, 'tiny-heldout');
    const writer = writeTokenShards(tiny, { vocabSize: good.manifest.vocabSize, tokenizer: good.manifest.tokenizer });
    writer.write('train', good.read('train', 0, good.tokenCount('train')));
    writer.write('heldout', good.read('heldout', 0, 2));
    writer.finish();
    good.close();
    const out = join(dir, 'failed');
    const failing = trainTorchDdp({ ...OPTIONS, shards: tiny, out, nproc: 2, steps: 2 });
    await expect(failing).rejects.toThrow(TorchJobError);
    await expect(failing).rejects.toMatchObject({
      failure: 'training',
      exitCode: 1,
      message: expect.stringMatching(
        /PyTorch DDP job failed: rank 0: ValueError: held-out split is too short to evaluate \(2 tokens\)/,
      ),
    });
    expect(readdirSync(dir).filter((f) => f.startsWith('failed'))).toEqual([]);
    // Cheaper failures are refused by the job before any rank starts, with the same error type.
    await expect(trainTorchDdp({ ...OPTIONS, shards, out, nproc: 2, batch: 3 })).rejects.toMatchObject({
      failure: 'config',
      message: expect.stringMatching(/--batch 3 must be a multiple of the number of processes \(2\)/),
    });
    expect(existsSync(out)).toBe(false);
  }, 40_000);

  it('names a truncated shard, in the app and in the Python reader', async () => {
    const broken = join(dir, 'broken');
    cpSync(shards, broken, { recursive: true });
    const file = readdirSync(broken).find((f) => f.startsWith('train-')) as string;
    truncateSync(join(broken, file), statSync(join(broken, file)).size - 2);
    const refused = trainTorchDdp({ ...OPTIONS, shards: broken, out: join(dir, 'never'), nproc: 1 });
    await expect(refused).rejects.toThrow(InputError);
    await expect(refused).rejects.toThrow(join(broken, file));
    expect(existsSync(join(dir, 'never'))).toBe(false);
    // The Python trainer checks sizes itself too (it may run without the app, e.g. under torchrun).
    const python = spawnSync(
      torchPython(),
      [
        '-m',
        'seqgen_torch.train_ddp',
        '--init',
        broken,
        '--shards',
        broken,
        '--out',
        join(dir, 'never'),
        '--steps',
        '1',
      ],
      { encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(appRoot, '..', '..', 'python') } },
    );
    expect(python.status).toBe(2);
    expect(python.stderr).toMatch(new RegExp(`seqgen-torch-error: .*"kind": "shard".*${file}: truncated`));
    expect(existsSync(join(dir, 'never'))).toBe(false);
  }, 30_000);
});
