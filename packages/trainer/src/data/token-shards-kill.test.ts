import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@seqgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS, VOCAB } from '../../test/fixtures/setup.js';
import { trainFromShards } from '../../test/fixtures/shard-training.js';
import { writeTokenShards } from './token-shard-writer.js';

const child = fileURLToPath(new URL('../../test/fixtures/shard-train-child.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'seqgen-shard-kill-'));
beforeAll(async () => {
  await initBackend();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the training child until it pauses after step `pause`, then SIGKILLs it. Resolves with its losses by step. */
function runKilledChild(dir: string, shards: string, pause: number) {
  return new Promise<Map<number, number>>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, shards, String(pause)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const losses = new Map<number, number>();
    let killed = false;
    let stdout = '';
    let stderr = '';
    proc.stderr.on('data', (d) => {
      stderr += d;
    });
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const lines = stdout.split('\n');
      stdout = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, step, value] = line.split(' ');
        if (kind === 'loss') losses.set(Number(step), Number(value));
        if (line === `paused ${pause}` && !killed) {
          killed = true;
          proc.kill('SIGKILL');
        }
      }
    });
    proc.on('exit', (code, signal) => {
      if (killed && signal === 'SIGKILL') resolve(losses);
      else reject(new Error(`child exited with ${code ?? signal} before it was killed: ${stderr}`));
    });
  });
}

describe('training from token shards, SIGKILLed', () => {
  it('resumes at the exact position: the steps after the last checkpoint equal an uninterrupted run', async () => {
    const shards = join(root, 'shards');
    const writer = writeTokenShards(shards, {
      vocabSize: VOCAB.length,
      tokenizer: { type: 'test-char' },
      shardBytes: 256,
    });
    for (const doc of DOCS) writer.write('train', doc);
    writer.write('heldout', DOCS[0]?.slice(0, 50) ?? []);
    writer.finish();

    // A separate process, killed with no chance to save after step 5: its last checkpoint is step 3's.
    const dir = join(root, 'killed');
    const killed = await runKilledChild(dir, shards, 5);
    expect([...killed.keys()]).toEqual([1, 2, 3, 4, 5]);
    const resumed = new Map<number, number>();
    await trainFromShards(dir, shards, { resume: true, onStep: (m) => resumed.set(m.step, m.loss) });
    expect([...resumed.keys()]).toEqual([4, 5, 6, 7, 8, 9]);
    const reference = new Map<number, number>();
    await trainFromShards(join(root, 'reference'), shards, { onStep: (m) => reference.set(m.step, m.loss) });
    // The resumed run redoes steps 4 and 5 and goes on with the very batches the uninterrupted run read
    // (another batch would change the loss in its first digits; the margin only allows for two processes).
    for (const [step, loss] of [...killed, ...resumed])
      expect(loss, `step ${step}`).toBeCloseTo(reference.get(step) as number, 6);
    expect(new Set([...reference.values()].map((l) => l.toFixed(3))).size).toBe(9);
  });
});
