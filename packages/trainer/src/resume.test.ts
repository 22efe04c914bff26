import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { readJsonl } from './jsonl-log.js';
import { LAST_CHECKPOINT, LOG_FILE, OPTIMIZER_PREFIX, PLOT_FILE, STATE_PREFIX } from './trainer.js';

const child = fileURLToPath(new URL('../test/fixtures/train-child.ts', import.meta.url));

interface Run {
  losses: Map<number, number>;
  checkpoints: number[];
  killed: boolean;
  backend?: string;
}

/** Runs the training child; with `killAfterCheckpoint`, SIGKILLs it soon after that checkpoint is reported. */
function runChild(dir: string, resume: boolean, killAfterCheckpoint?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', child, dir, ...(resume ? ['resume'] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { losses: new Map(), checkpoints: [], killed: false };
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
        const [kind, step, value] = line.split(' ');
        if (kind === 'backend') run.backend = step;
        if (kind === 'loss') run.losses.set(Number(step), Number(value));
        if (kind === 'checkpoint') {
          run.checkpoints.push(Number(step));
          if (killAfterCheckpoint !== undefined && Number(step) >= killAfterCheckpoint && !run.killed) {
            run.killed = true;
            // Let it get a little way into the next steps (maybe into the next save) before the kill.
            setTimeout(() => proc.kill('SIGKILL'), 15);
          }
        }
      }
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(run);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe('resume after a kill', () => {
  it('continues with exactly the losses of an uninterrupted run', async () => {
    const reference = await runChild(mkdtempSync(join(tmpdir(), 'seqgen-trainer-ref-')), false);
    expect(reference.losses.size).toBe(30);
    // The child runs on the backend this project forces (SEQGEN_BACKEND is inherited).
    expect(reference.backend).toBe(process.env.SEQGEN_BACKEND);

    const dir = mkdtempSync(join(tmpdir(), 'seqgen-trainer-kill-'));
    const killed = await runChild(dir, false, 9);
    expect(killed.killed).toBe(true);
    const saved = await loadCheckpoint(join(dir, LAST_CHECKPOINT));
    const resumedFrom = (saved.metadata.trainer as { step: number }).step;
    expect(resumedFrom).toBeGreaterThanOrEqual(9);
    expect(resumedFrom).toBeLessThan(30);
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
      expect.objectContaining({ rng: expect.any(Array), data: expect.objectContaining({ index: expect.any(Number) }) }),
    );

    const resumed = await runChild(dir, true);
    expect([...resumed.losses.keys()]).toEqual(Array.from({ length: 30 - resumedFrom }, (_, i) => resumedFrom + 1 + i));
    for (const [step, loss] of resumed.losses) {
      expect(Math.abs(loss - (reference.losses.get(step) as number))).toBeLessThanOrEqual(1e-6);
    }
    // The log holds each step once, and the loss picture sits beside the checkpoint.
    const steps = readJsonl(join(dir, LOG_FILE))
      .filter((r) => r.kind === 'step')
      .map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(existsSync(join(dir, PLOT_FILE))).toBe(true);
    expect(readFileSync(join(dir, PLOT_FILE), 'utf8')).toContain('<polyline data-series="train"');
  });
});
