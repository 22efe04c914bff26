import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'test-fixtures', 'train-cli.ts');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-kit-interrupt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the fixture app; `onStderr` sees stderr as it grows (to send signals at the right moment). */
function start(args: string[], onStderr?: (text: string, child: ChildProcess) => void): Promise<Finished> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
    cwd: join(dirname(fileURLToPath(import.meta.url)), '..'),
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => {
    stdout += b;
  });
  child.stderr.on('data', (b) => {
    stderr += b;
    onStderr?.(stderr, child);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const staging = () => readdirSync(dir).filter((f) => f.includes('.staging-'));

describe('Ctrl-C while training', () => {
  it('stops within a step, publishes a resumable checkpoint, exits 130; --resume continues exactly', async () => {
    const out = join(dir, 'run-a');
    let sent = false;
    const r = await start(['train', '--out', out], (text, child) => {
      if (!sent && /step 5 /.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Ctrl-C: stopping after this step and saving a resumable checkpoint/);
    expect(r.stderr).toMatch(/^tiny-app: interrupted at step \d+; resume with: tiny-app train --resume /m);
    const stoppedAt = Number(/interrupted at step (\d+)/.exec(r.stderr)?.[1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(5);
    expect(stoppedAt).toBeLessThan(12); // within a step or so of the signal
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['last', 'train-log.jsonl']));
    expect(staging()).toEqual([]);

    // Resume to step 20 and compare with an uninterrupted 20-step run.
    const resumed = await start(['train', '--resume', out, '--steps', '20', '--json']);
    expect(resumed.stderr).not.toMatch(/error/);
    expect(resumed.code).toBe(0);
    const straight = await start(['train', '--out', join(dir, 'run-b'), '--steps', '20', '--json']);
    expect(straight.code).toBe(0);
    const a = JSON.parse(resumed.stdout) as { steps: number; w: number[] };
    const b = JSON.parse(straight.stdout) as { steps: number; w: number[] };
    expect(a.steps).toBe(20);
    expect(a.w).toEqual(b.w);
    expect(staging()).toEqual([]);
  });

  it('a second Ctrl-C quits at once and still leaves no staging folder', async () => {
    const out = join(dir, 'run-c');
    let sent = 0;
    const r = await start(['train', '--out', out, '--step-ms', '200'], (text, child) => {
      if (sent === 0 && /step 2 /.test(text)) {
        sent = 1;
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGINT'), 20);
      }
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/quitting without saving/);
    expect(existsSync(out)).toBe(false);
    expect(staging()).toEqual([]);
  });

  it('--json: exactly one JSON object on stdout', async () => {
    const r = await start(['train', '--out', join(dir, 'run-d'), '--steps', '3', '--json', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ steps: 3, stoppedBy: 'max-steps' });
  });

  it('refuses to overwrite a run without --force (exit 3, JSON error with --json)', async () => {
    const r = await start(['train', '--out', join(dir, 'run-d'), '--steps', '3', '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(/^tiny-app: error: refusing to overwrite --out .*run-d: it holds a previous run/);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'ERR_INPUT', exitCode: 3 } });
    const forced = await start(['train', '--out', join(dir, 'run-d'), '--steps', '2', '--force', '--quiet']);
    expect(forced.code).toBe(0);
    expect(staging()).toEqual([]);
  });

  it('usage errors exit 2 with one line', async () => {
    const r = await start(['train', '--out', join(dir, 'x'), '--steps', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tiny-app: error: option '--steps <n>' argument 'many' is invalid/);
    const q = await start(['train', '--out', join(dir, 'x'), '--quiet', '--progress']);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/cannot be used with option '--quiet'/);
  });
});
