import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AppError, type Output, plainLines, RunFolder, UsageError } from '@seqgen/app-kit';
import type { JsonObject } from '@seqgen/core';
import { importTorchModel, saveTorchModel } from '@seqgen/interop';
import { RecurrentLanguageModel } from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';
import { countChars } from './corpus.js';
import { type HeldOutMetrics, heldOutMetrics } from './evaluate.js';
import { openShards, SHARD_FINAL_EVAL_TOKENS, shardTokenizer } from './shard-corpus.js';
import { tokenizeCorpus } from './tokenize.js';
import type { TokenizerKind } from './tokenizer-choice.js';
import { lmOptions, type TrainSummary } from './train.js';

/** `train --engine torch-ddp`: the model and training flags of `train`, plus the PyTorch job's own. */
export type TorchDdpOptions = {
  /** Token shard folder (`seqgen-text tokenize`); the job and the final evaluation read it. One of `shards` and `corpus`. */
  shards?: string;
  /** A text corpus, tokenized into shards in a temporary folder first (as `tokenize` would). */
  corpus?: string;
  /** The tokenizer built for `corpus` (default char). */
  tokenizer?: TokenizerKind;
  out: string;
  force?: boolean;
  cell: 'lstm' | 'gru' | 'rnn';
  layers: number;
  hidden: number;
  embedding: number;
  dropout: number;
  steps: number;
  seqLen: number;
  /** Lanes in all, split evenly over the processes. */
  batch: number;
  lr: number;
  seed: number;
  /** Processes (ranks) the job starts on this machine. */
  nproc: number;
  /** `cpu` (gloo) or `cuda` (NCCL). */
  device: 'cpu' | 'cuda';
  quiet?: boolean;
  output?: Pick<Output, 'info' | 'result'>;
};

/** The result of a torch-ddp run: the kit's summary plus what PyTorch measured. */
export type TorchDdpSummary = TrainSummary & {
  /** Held-out loss and throughput as the PyTorch job reported them. */
  torch: { heldOutLoss: number; heldOutTokens: number; tokensPerSecond: number; worldSize: number };
};

/** Why the PyTorch job failed: the kind its error line names (`shard`, `config`, `training`) or `launch`/`crash`. */
export type TorchJobFailure = 'launch' | 'crash' | 'shard' | 'config' | 'training';

/**
 * The PyTorch DDP job failed: `failure` says how, `stderr` holds the end of
 * its error output (the traceback), `file` the shard at fault when there is
 * one. Nothing was published at `--out`. Exit code 3 (bad input) for a shard,
 * 1 otherwise.
 */
export class TorchJobError extends AppError {
  override readonly name = 'TorchJobError';
  /** How the job failed. */
  readonly failure: TorchJobFailure;
  /** The last part of the job's stderr. */
  readonly stderr: string;
  /** The shard file to blame, when the job named one. */
  readonly file: string | undefined;
  constructor(failure: TorchJobFailure, message: string, stderr: string, file?: string) {
    super(failure === 'shard' ? 'input' : 'internal', message);
    this.failure = failure;
    this.stderr = stderr;
    this.file = file;
  }
}

/** The interpreter with PyTorch: `SEQGEN_PYTHON`, else Debian's `/usr/bin/python3` (the one on PATH may lack torch). */
export function torchPython(): string {
  return process.env.SEQGEN_PYTHON ?? '/usr/bin/python3';
}

/** The repository's `python/` folder (seqgen_torch), when this runs from a checkout; else a pip-installed package is used. */
function pythonPackageDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../../python', import.meta.url));
  return existsSync(join(dir, 'seqgen_torch')) ? dir : undefined;
}

const STDERR_KEPT = 16_000;

/**
 * Trains with PyTorch DDP: builds the model in seqgen (same seeded initial
 * weights as `train`), exports it, runs `python -m seqgen_torch.train_ddp`
 * over `nproc` processes on the shards, then imports the result as a seqgen
 * checkpoint at `out` (with the shards' tokenizer) that `generate`, `eval`
 * and `serve` read like any other. A failing job publishes nothing.
 */
export async function trainTorchDdp(options: TorchDdpOptions): Promise<TorchDdpSummary> {
  const output = options.output ?? plainLines();
  const started = performance.now();
  if ((options.shards === undefined) === (options.corpus === undefined)) {
    throw new UsageError('--engine torch-ddp trains from --shards DIR or from --corpus PATH (one of them)');
  }
  const run = RunFolder.create(options.out, { force: options.force });
  const work = mkdtempSync(join(tmpdir(), 'seqgen-torch-ddp-'));
  try {
    let shardDir = options.shards as string;
    if (options.corpus !== undefined) {
      // The same shards `seqgen-text tokenize` writes; the Python ranks read them from the work folder.
      shardDir = join(work, 'shards');
      await tokenizeCorpus({
        corpus: options.corpus,
        out: shardDir,
        tokenizer: options.tokenizer ?? 'char',
        output: {
          info: (line) => {
            if (!options.quiet) output.info(line);
          },
          result: (line) => output.info(line),
        },
      });
    }
    const shards = openShards(shardDir);
    const tokenizer = shardTokenizer(shards);
    const manifest = shards.manifest;
    shards.close();
    const initial = new RecurrentLanguageModel(lmOptions(options, manifest.vocabSize));
    try {
      saveTorchModel(initial, join(work, 'init'), { tokenizer: manifest.tokenizer as JsonObject });
    } finally {
      initial.dispose();
    }
    const metricsPath = join(work, 'metrics.json');
    await runJob(
      [
        '-m',
        'seqgen_torch.train_ddp',
        ...['--init', join(work, 'init'), '--shards', shardDir, '--out', join(work, 'trained')],
        ...['--metrics', metricsPath, '--steps', String(options.steps), '--batch', String(options.batch)],
        ...['--seq-len', String(options.seqLen), '--lr', String(options.lr), '--seed', String(options.seed)],
        ...['--nproc', String(options.nproc), '--device', options.device],
        ...['--log-every', String(Math.max(1, Math.ceil(options.steps / 20)))],
        ...['--heldout-tokens', String(SHARD_FINAL_EVAL_TOKENS)],
      ],
      (line) => {
        if (!options.quiet) output.info(line);
      },
    );
    const reported = JSON.parse(readFileSync(metricsPath, 'utf8')) as {
      heldOut: { loss: number; tokens: number };
      tokensPerSecond: number;
      worldSize: number;
    };
    const { model } = importTorchModel(join(work, 'trained'));
    let metrics: HeldOutMetrics;
    try {
      const reopened = openShards(shardDir);
      let ids: number[];
      try {
        ids = Array.from(
          reopened.read('heldout', 0, Math.min(SHARD_FINAL_EVAL_TOKENS, reopened.tokenCount('heldout'))),
        );
      } finally {
        reopened.close();
      }
      metrics = await heldOutMetrics(model as RecurrentLanguageModel, ids, countChars(tokenizer.decode(ids)));
      const seconds = (performance.now() - started) / 1000;
      await model.save(run.staging, {
        tokenizer,
        metadata: {
          app: '@seqgen/app-text',
          engine: 'torch-ddp',
          ...(options.corpus !== undefined ? { corpus: options.corpus } : { shards: shardDir }),
          nproc: reported.worldSize,
          steps: options.steps,
          seconds: Math.round(seconds),
          backend: tf.getBackend(),
          heldOut: { ...metrics },
          torchHeldOutLoss: reported.heldOut.loss,
          torchTokensPerSecond: reported.tokensPerSecond,
        },
      });
    } finally {
      model.dispose();
    }
    run.publish();
    const seconds = (performance.now() - started) / 1000;
    output.result(
      `trained ${options.steps} steps on ${reported.worldSize} PyTorch process(es) in ${seconds.toFixed(0)} s ` +
        `(${reported.tokensPerSecond.toFixed(0)} tokens/s); held-out: ${metrics.loss.toFixed(4)} nats/token in seqgen, ` +
        `${reported.heldOut.loss.toFixed(4)} in PyTorch, perplexity ${metrics.perplexity.toFixed(3)} (${metrics.tokens} tokens)`,
    );
    output.result(`checkpoint written to ${options.out}`);
    return {
      steps: options.steps,
      seconds,
      heldOut: metrics,
      out: options.out,
      interrupted: false,
      torch: {
        heldOutLoss: reported.heldOut.loss,
        heldOutTokens: reported.heldOut.tokens,
        tokensPerSecond: reported.tokensPerSecond,
        worldSize: reported.worldSize,
      },
    };
  } finally {
    run.discard(); // no-op once published
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the Python job, handing each progress record (a JSON line on stdout) to `progress` as text. */
function runJob(args: string[], progress: (line: string) => void): Promise<void> {
  const python = torchPython();
  const packageDir = pythonPackageDir();
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1' };
  if (packageDir) env.PYTHONPATH = [packageDir, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const record = parseRecord(line);
      if (record && typeof record.step === 'number') {
        progress(
          `step ${record.step}: loss ${Number(record.loss).toFixed(4)}, lr ${Number(record.lr).toExponential(2)}, ` +
            `${Number(record.tokensPerSecond).toFixed(0)} tokens/s`,
        );
      } else if (!record) progress(line);
    });
    child.on('error', (error) => {
      reject(new TorchJobError('launch', `cannot start ${python} (set SEQGEN_PYTHON): ${error.message}`, ''));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const marker = stderr.lastIndexOf('seqgen-torch-error: ');
      if (marker >= 0) {
        const line = stderr.slice(marker + 'seqgen-torch-error: '.length).split('\n')[0] ?? '';
        const parsed = parseRecord(line) as { kind?: TorchJobFailure; message?: string; file?: string } | undefined;
        if (parsed?.message) {
          return reject(
            new TorchJobError(
              parsed.kind ?? 'training',
              `PyTorch DDP job failed: ${parsed.message}`,
              stderr,
              parsed.file,
            ),
          );
        }
      }
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      reject(new TorchJobError('crash', `PyTorch DDP job exited with ${signal ?? `code ${code}`}: ${tail}`, stderr));
    });
  });
}

function parseRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
