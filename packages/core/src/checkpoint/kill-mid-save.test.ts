import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMP_PREFIX } from './atomic-file.js';
import { MANIFEST_FILE } from './format.js';
import { loadCheckpoint } from './load.js';

const child = fileURLToPath(new URL('../../test/fixtures/save-forever.ts', import.meta.url));

/**
 * Kill rounds per layout, at 1/12, 3/12, … 11/12 of the typical write time
 * (the child's slow-disk writes make that ~150-350 ms). Each round costs one
 * child start (1.5-5 s on a loaded 2-core machine, mostly importing tfjs).
 * Measured at load average 5-8 on 2 cores, 43 of 48 kills left a temporary file
 * or a stale shard (the misses: 11/12 kills, after the commit and its cleanup), so
 * asking for one in six per layout has a wide margin.
 */
const ROUNDS = 6;

interface Kill {
  /** Saves this child had completed before the kill. */
  lastSaved: number;
  /** How long after the child reported its first temporary-file open the SIGKILL was sent, in ms. */
  offsetMs: number;
}

/**
 * Runs the saving child until it has completed one save, then, on its next
 * `write` report (the save's first temporary-file open), SIGKILLs it `fraction`
 * of a typical write duration later. Write durations are the child's own
 * measurements, pooled in `durations` across rounds.
 */
function killDuringWrite(path: string, fraction: number, durations: number[]): Promise<Kill> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', child, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastSaved = 0;
    let pending = '';
    let stderr = '';
    let writeSeenAt = -1;
    let killedAt = -1;
    proc.stderr?.on('data', (d) => {
      stderr += d;
    });
    proc.stdout?.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, version, ms] = line.split(' ');
        if (kind === 'saved') {
          lastSaved = Number(version);
          durations.push(Number(ms));
        }
        if (kind === 'write' && lastSaved >= 1 && writeSeenAt < 0) {
          writeSeenAt = performance.now();
          const delay = fraction * median(durations);
          const kill = () => {
            killedAt = performance.now();
            proc.kill('SIGKILL');
          };
          if (delay < 1) kill();
          else setTimeout(kill, delay);
        }
      }
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && killedAt >= 0) resolve({ lastSaved, offsetMs: killedAt - writeSeenAt });
      else reject(new Error(`child exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** What an interrupted save left beside the checkpoint: temporary files and shards the manifest does not name. */
function leftovers(path: string, layout: 'folder' | 'single file'): string[] {
  if (layout === 'single file') {
    return readdirSync(dirname(path)).filter((f) => f.startsWith(`${TEMP_PREFIX}${basename(path)}-`));
  }
  const manifest = JSON.parse(readFileSync(join(path, MANIFEST_FILE), 'utf8')) as { weightFiles: object };
  return readdirSync(path).filter(
    (f) => f.startsWith(TEMP_PREFIX) || (f.endsWith('.bin') && !(f in manifest.weightFiles)),
  );
}

describe('a process killed mid-save', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  for (const layout of ['folder', 'single file'] as const) {
    it(`leaves the previous or the new ${layout} checkpoint loadable, whatever point of the write it lands on`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'seqgen-kill-'));
      dirs.push(dir);
      const path = layout === 'folder' ? join(dir, 'ckpt') : join(dir, 'model.seqgen');
      const durations: number[] = [];
      const rounds: Array<Kill & { fraction: number; version: number; left: string[] }> = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Kill points spread evenly across the measured write time.
        const fraction = (round + 0.5) / ROUNDS;
        const kill = await killDuringWrite(path, fraction, durations);
        const left = leftovers(path, layout);
        const loaded = await loadCheckpoint(path);
        const version = loaded.config.version as number;
        rounds.push({ ...kill, fraction, version, left });
        const report = JSON.stringify(rounds.at(-1));
        // Either the last completed save, or the one in flight if its commit rename had happened.
        expect([kill.lastSaved, kill.lastSaved + 1], report).toContain(version);
        expect(loaded.metadata.version, report).toBe(version);
        const big = loaded.weights.big?.data as Float32Array;
        expect(big.length, report).toBe(1_500_000);
        expect(
          big.every((v) => v === version),
          report,
        ).toBe(true);
        expect(Array.from(loaded.weights.small?.data ?? []), report).toEqual([version, version, version]);
        // Loading read nothing of what the interrupted save left, and removed nothing either.
        expect(leftovers(path, layout), report).toEqual(left);
      }
      const summary = `median write ${median(durations).toFixed(1)} ms; rounds ${JSON.stringify(rounds)}`;
      if (process.env.SEQGEN_KILL_REPORT) console.log(`${layout}: ${summary}`);
      // The point of the test: some kills really landed inside a write and left
      // a temporary file or an unreferenced shard behind, which loading ignored.
      expect(
        rounds.filter((r) => r.left.length > 0).length,
        `no kill landed mid-write: ${summary}`,
      ).toBeGreaterThanOrEqual(1);
      if (layout === 'folder') {
        // Stale shards of superseded versions never pile up beyond the in-flight save's.
        const shards = readdirSync(path).filter((f) => f.endsWith('.bin'));
        expect(shards.length).toBeLessThanOrEqual(12);
      }
    });
  }
});
