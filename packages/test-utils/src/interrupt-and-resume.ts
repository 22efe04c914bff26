import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { CliRunner } from './cli-process.js';

/** One app's `train` command, interrupted and resumed by {@link interruptAndResume}. */
export type InterruptAndResumeOptions = {
  cli: CliRunner;
  /** The binary's name, as the resume hint spells it (`seqgen-translate`). */
  name: string;
  /** `train` and its options, without `--out`: a run long enough to be interrupted. */
  train: string[];
  /** Total optimizer steps of `train` (the interrupted run must stop before). */
  steps: number;
  /** The interrupted run's `--out` folder (its parent must hold nothing else of the test's). */
  out: string;
  /** The uninterrupted run's `--out` folder, for comparison. */
  straightOut: string;
  /** Ctrl-C is sent once stderr matches this (after a step or two). */
  when: RegExp;
};

/** The weight bytes of a published checkpoint folder, in manifest order. */
export function checkpointWeights(dir: string): Buffer {
  const manifest = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as {
    weightsManifest: Array<{ paths: string[] }>;
  };
  return Buffer.concat(manifest.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
}

/**
 * APPS.md's promise, checked on real child processes: Ctrl-C (SIGINT) during `train` exits 130,
 * says where the resumable checkpoint is and how to continue, leaves `last/` and `run.json` and
 * no staging folder; `train --resume` then finishes quietly, and its weights equal, byte for
 * byte, those of the same run never interrupted. Returns the step it was interrupted at.
 */
export async function interruptAndResume(o: InterruptAndResumeOptions): Promise<{ stoppedAt: number }> {
  const interrupted = await o.cli.runUntil([...o.train, '--out', o.out], o.when, 'SIGINT');
  expect(interrupted.stderr).toMatch(/Ctrl-C: stopping after this step/);
  expect(interrupted.status).toBe(130);
  const hint = new RegExp(
    `interrupted at step (\\d+): a resumable checkpoint is in (.*)/last; continue with: ${o.name} train --resume (.*)$`,
    'm',
  ).exec(interrupted.stderr);
  expect(hint?.slice(2)).toEqual([o.out, o.out]);
  const stoppedAt = Number(hint?.[1]);
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(o.steps);
  expect(readdirSync(o.out)).toEqual(expect.arrayContaining(['last', 'run.json', 'train-log.jsonl']));
  const staging = () => readdirSync(dirname(o.out)).filter((f) => f.startsWith(`.${basename(o.out)}.`));
  expect(staging()).toEqual([]);

  const resumed = o.cli.run(['train', '--resume', o.out, '--quiet']);
  expect(resumed.stderr).toBe('');
  expect(resumed.status).toBe(0);
  expect(readdirSync(o.out)).not.toContain('last');
  expect(staging()).toEqual([]);
  const straight = o.cli.run([...o.train, '--out', o.straightOut, '--quiet']);
  expect(straight.stderr).toBe('');
  expect(straight.status).toBe(0);
  expect(checkpointWeights(o.out).equals(checkpointWeights(o.straightOut))).toBe(true);
  return { stoppedAt };
}
