import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository's `python/` folder, put on PYTHONPATH so that `import seqgen_torch` finds the package. */
export const PYTHON_PACKAGE_DIR = fileURLToPath(new URL('../../../../python', import.meta.url));

/** The interpreter with PyTorch: `SEQGEN_PYTHON`, else Debian's `/usr/bin/python3` (the pyenv one on PATH has none). */
export const PYTHON = process.env.SEQGEN_PYTHON ?? '/usr/bin/python3';

/**
 * Whether PyTorch can be imported. Missing is an error when
 * `SEQGEN_TORCH_REQUIRED=1` (CI installs python3-torch), a skip otherwise.
 */
export function torchAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  const ok = probe.status === 0;
  if (!ok && process.env.SEQGEN_TORCH_REQUIRED === '1') {
    throw new Error(
      `SEQGEN_TORCH_REQUIRED=1 but ${PYTHON} cannot import torch and numpy (apt install python3-torch): ${probe.stderr ?? probe.error}`,
    );
  }
  return ok;
}

/** Runs a Python script with `python/` on PYTHONPATH; throws with its stderr when it fails. */
export function runPython(args: string[]): string {
  const run = spawnSync(PYTHON, args, {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: PYTHON_PACKAGE_DIR, OMP_NUM_THREADS: '1' },
  });
  if (run.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return run.stdout;
}
