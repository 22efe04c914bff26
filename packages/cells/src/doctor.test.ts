import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { doctor, formatDoctorReport } from './doctor.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('./doctor-cli.ts', import.meta.url));

describe('doctor', () => {
  it('reports the active backend, the others and real versions', async () => {
    const report = await doctor();
    expect(report.backend.active).toBe(process.env.SEQGEN_BACKEND);
    expect(report.packages['@tensorflow/tfjs']).toMatch(/^4\.\d+\.\d+$/);
    expect(report.packages['@tensorflow/tfjs-core']).toBe(report.packages['@tensorflow/tfjs']);
    const text = formatDoctorReport(report);
    expect(text).toMatch(new RegExp(`active backend: ${report.backend.active} \\(selected by environment\\)`));
    // Backends are named as SEQGEN_BACKEND and --backend take them (tfjs-node's "tensorflow" is `node`).
    expect(text).toMatch(/^backends \(as SEQGEN_BACKEND names them\):$/m);
    for (const name of ['node', 'wasm', 'cpu']) expect(text).toMatch(new RegExp(`^  ${name}\\s+(active|skipped)`, 'm'));
    // @seqgen/native is optional: whatever its state, the report says which and why.
    expect(['active', 'inactive', 'not-installed']).toContain(report.native.status);
    expect(report.native.reason.length).toBeGreaterThan(0);
    expect(text).toMatch(/^native kernels: (active|inactive|not-installed)/m);
  });

  it('runs as a command with --json, and refuses unknown options with exit code 2', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, '--json', '--backend', 'cpu']);
    const report = JSON.parse(stdout);
    expect(report.backend.active).toBe('cpu');
    expect(report.backend.selectedBy).toBe('option');
    const failure = await run(process.execPath, ['--import', 'tsx', cli, '--gpu']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((failure as { code: number }).code).toBe(2);
    expect((failure as { stderr: string }).stderr).toMatch(/Unknown option '--gpu'/);
    const unknown = await run(process.execPath, ['--import', 'tsx', cli, '--backend', 'tpu']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((unknown as { code: number }).code).toBe(1);
    expect((unknown as { stderr: string }).stderr).toMatch(/unknown backend "tpu".*\[ERR_BACKEND_UNKNOWN_BACKEND\]/);
  });
});
