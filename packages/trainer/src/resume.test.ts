import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '@seqgen/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonl } from './jsonl-log.js';
import { LAST_CHECKPOINT, LOG_FILE, OPTIMIZER_PREFIX, PLOT_FILE, STATE_PREFIX } from './trainer.js';

const child = fileURLToPath(new URL('../test/fixtures/train-child.ts', import.meta.url));
const TEMP_PREFIX = '.seqgen-tmp-'; // core's atomic writer names its temporary files so

interface Run {
  /** Every `loss` line, in order (a killed run's redone steps are printed again by the next run). */
  losses: Array<[number, number]>;
  checkpoints: number[];
  killed: boolean;
  /** The line the child was killed on. */
  killedOn?: string;
  backend?: string;
  wasmThreads?: number;
}

/**
 * Runs the training child. `pause` asks it to stop at a point of a `last/`
 * save (see the fixture) and report `paused`; `killOn` picks the line on which
 * the child is SIGKILLed, at once, in the handler that reads it.
 */
function runChild(
  dir: string,
  options: { resume?: boolean; pause?: string; killOn?: (line: string) => boolean } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = [
      child,
      dir,
      ...(options.resume ? ['resume'] : []),
      ...(options.pause ? [`pause=${options.pause}`] : []),
    ];
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { losses: [], checkpoints: [], killed: false };
    let stdout = '';
    let stderr = '';
    proc.stderr?.on('data', (d) => {
      stderr += d;
    });
    proc.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const lines = stdout.split('\n');
      stdout = lines.pop() ?? '';
      for (const line of lines) {
        if (run.killed) break;
        const [kind, a, b] = line.split(' ');
        if (kind === 'backend') run.backend = a;
        if (kind === 'wasm-threads') run.wasmThreads = Number(a);
        if (kind === 'loss') run.losses.push([Number(a), Number(b)]);
        if (kind === 'checkpoint') run.checkpoints.push(Number(a));
        if (options.killOn?.(line)) {
          run.killed = true;
          run.killedOn = line;
          proc.kill('SIGKILL');
        }
      }
    });
    proc.on('exit', (code, signal) => {
      if ((signal === 'SIGKILL' && run.killed) || code === 0) resolve(run);
      else reject(new Error(`child exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

/** Files in `last/` besides checkpoint.json and the shards it names: what an interrupted save left. */
function leftovers(dir: string): string[] {
  const last = join(dir, LAST_CHECKPOINT);
  const manifest = JSON.parse(readFileSync(join(last, 'checkpoint.json'), 'utf8')) as { weightFiles: object };
  return readdirSync(last)
    .filter((f) => f !== 'checkpoint.json' && !(f in manifest.weightFiles))
    .sort();
}

/**
 * The kills, in order, each on the run resumed after the one before. `resumeFrom`
 * lists the `last/` steps the kill may leave; `left` describes what the kill
 * must leave beside that checkpoint in `last/`.
 */
const KILLS: Array<{
  name: string;
  pause?: string;
  killOn: (line: string) => boolean;
  resumeFrom: number[];
  left: (files: string[]) => boolean;
}> = [
  {
    name: 'mid-write of the step-6 shard',
    pause: '6:write1',
    killOn: (l) => l.startsWith('paused'),
    resumeFrom: [3],
    left: (f) => f.length === 1 && f[0]?.startsWith(`${TEMP_PREFIX}group1-shard1of1-`) === true,
  },
  {
    name: 'mid-write of the step-12 checkpoint.json',
    pause: '12:write2',
    killOn: (l) => l.startsWith('paused'),
    resumeFrom: [9],
    // the step-12 shard already renamed into place but not named by checkpoint.json, and the temporary checkpoint.json
    left: (f) =>
      f.length === 2 &&
      f.some((x) => x.startsWith(`${TEMP_PREFIX}checkpoint.json-`)) &&
      f.some((x) => x.endsWith('.bin')),
  },
  {
    name: 'after the step-15 commit rename, before cleanup and onCheckpoint',
    pause: '15:rename2',
    killOn: (l) => l.startsWith('paused'),
    resumeFrom: [15],
    left: (f) => f.length === 1 && f[0]?.endsWith('.bin') === true, // the superseded step-12 shard
  },
  {
    // No pause: the kill races the save it is sent at (it may land inside it or after it).
    name: 'the moment the step-21 save reports its first write',
    killOn: (l) => l === 'save 21 begin',
    resumeFrom: [18, 21],
    left: () => true,
  },
  {
    name: 'between checkpoints, as step 23 is reported',
    killOn: (l) => l.startsWith('loss 23 '),
    resumeFrom: [21, 24],
    left: () => true,
  },
];

describe('resume after a kill', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), name));
    dirs.push(dir);
    return dir;
  };

  it('continues with exactly the losses of an uninterrupted run, wherever the kill lands', async () => {
    const refDir = tempDir('seqgen-trainer-ref-');
    const reference = await runChild(refDir);
    expect(reference.losses.map(([s]) => s)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const refLoss = new Map(reference.losses);
    // The child runs on the backend this project forces (SEQGEN_BACKEND is inherited).
    expect(reference.backend).toBe(process.env.SEQGEN_BACKEND);

    const dir = tempDir('seqgen-trainer-kill-');
    let from = 0; // the step the current run starts after
    for (const [i, kill] of KILLS.entries()) {
      const run = await runChild(dir, { resume: i > 0, pause: kill.pause, killOn: kill.killOn });
      expect(run.killed, kill.name).toBe(true);
      // Same-backend runs are deterministic: every step any run printed, bit for bit the reference's.
      expect(run.losses.map(([s]) => s)).toEqual(run.losses.map((_, k) => from + 1 + k));
      for (const [step, loss] of run.losses) {
        expect(loss, `${kill.name}: step ${step} (wasm threads ${run.wasmThreads})`).toBe(refLoss.get(step));
      }

      const left = leftovers(dir);
      expect(kill.left(left), `${kill.name} left ${JSON.stringify(left)}`).toBe(true);
      const saved = await loadCheckpoint(join(dir, LAST_CHECKPOINT));
      from = (saved.metadata.trainer as { step: number }).step;
      if (process.env.SEQGEN_KILL_REPORT)
        console.log(`${kill.name}: killed on "${run.killedOn}", left ${left}, resume from ${from}`);
      expect(kill.resumeFrom, kill.name).toContain(from);
      if (i === 0) {
        // Everything needed to continue is in the checkpoint.
        expect(saved.preprocessors).toEqual({ tokenizer: { type: 'test-char', version: 1 } });
        expect(saved.config.type).toBe('test-char-rnn');
        expect(Object.keys(saved.weights)).toEqual(
          expect.arrayContaining([
            'embedding',
            `${OPTIMIZER_PREFIX}embedding/m`,
            `${OPTIMIZER_PREFIX}embedding/v`,
            `${STATE_PREFIX}0`,
          ]),
        );
        expect(saved.metadata.trainer).toEqual(
          expect.objectContaining({
            rng: expect.any(Array),
            data: expect.objectContaining({ index: expect.any(Number) }),
          }),
        );
      }
    }

    const last = await runChild(dir, { resume: true });
    expect(last.killed).toBe(false);
    expect(last.losses.map(([s]) => s)).toEqual(Array.from({ length: 30 - from }, (_, k) => from + 1 + k));
    for (const [step, loss] of last.losses) expect(loss, `final run: step ${step}`).toBe(refLoss.get(step));

    // The run that was killed five times ends with the reference's checkpoint, bit for bit.
    const ours = await loadCheckpoint(join(dir, LAST_CHECKPOINT));
    const ref = await loadCheckpoint(join(refDir, LAST_CHECKPOINT));
    expect(ours.metadata).toEqual(ref.metadata);
    expect(Object.keys(ours.weights)).toEqual(Object.keys(ref.weights));
    for (const [name, w] of Object.entries(ref.weights)) {
      expect(ours.weights[name]?.shape, name).toEqual(w.shape);
      expect(Buffer.from((ours.weights[name] as typeof w).data.buffer).equals(Buffer.from(w.data.buffer)), name).toBe(
        true,
      );
    }
    // A later save cleaned up what the interrupted ones left.
    expect(leftovers(dir)).toEqual([]);

    // The log holds each step once, with the reference's losses, and the loss picture sits beside the checkpoint.
    const steps = readJsonl(join(dir, LOG_FILE)).filter((r) => r.kind === 'step');
    expect(steps.map((r) => r.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(steps.map((r) => r.loss)).toEqual(reference.losses.map(([, loss]) => loss));
    expect(existsSync(join(dir, PLOT_FILE))).toBe(true);
    expect(readFileSync(join(dir, PLOT_FILE), 'utf8')).toContain('<polyline data-series="train"');
    // Seven child starts (tfjs import, backend start) dominate: ~30 s on an idle 2-core machine, 100 s loaded.
  }, 300_000);
});
