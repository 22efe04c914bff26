import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { loadCheckpoint } from './load.js';

const child = fileURLToPath(new URL('../../test/fixtures/save-forever.ts', import.meta.url));

/** Runs the saving child until it reports `minSaves` versions, then SIGKILLs it after `delayMs`. */
function saveThenKill(path: string, minSaves: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', child, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastSaved = 0;
    let stderr = '';
    let killing = false;
    proc.stderr?.on('data', (d) => {
      stderr += d;
    });
    proc.stdout?.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/saved (\d+)/g)) lastSaved = Number(m[1]);
      if (lastSaved >= minSaves && !killing) {
        killing = true;
        setTimeout(() => proc.kill('SIGKILL'), delayMs);
      }
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lastSaved);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe('a process killed mid-save', () => {
  const rng = new Rng(2026);
  for (const layout of ['folder', 'single file'] as const) {
    it(`leaves the previous ${layout} checkpoint loadable`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'seqgen-kill-'));
      const path = layout === 'folder' ? join(dir, 'ckpt') : join(dir, 'model.seqgen');
      for (let round = 0; round < 4; round++) {
        const lastSaved = await saveThenKill(path, round === 0 ? 1 : 2, rng.int(60));
        const loaded = await loadCheckpoint(path);
        const version = loaded.config.version as number;
        // Either the last completed save, or the one in flight if its commit rename had happened.
        expect([lastSaved, lastSaved + 1]).toContain(version);
        const big = loaded.weights.big?.data as Float32Array;
        expect(big.length).toBe(1_500_000);
        expect(big.every((v) => v === version)).toBe(true);
        expect(Array.from(loaded.weights.small?.data ?? [])).toEqual([version, version, version]);
      }
      if (layout === 'folder') {
        // Stale shards of superseded versions never pile up beyond the in-flight save's.
        const shards = readdirSync(path).filter((f) => f.endsWith('.bin'));
        expect(shards.length).toBeLessThanOrEqual(12);
      }
    });
  }
});
