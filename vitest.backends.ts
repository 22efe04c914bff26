import { configDefaults, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Every package's vitest run also writes a JSON summary (all projects of the run
 * together) to `.tmp/test-report.json`; after `turbo run test`,
 * `scripts/check-skips.mjs` prints each package's passed/skipped counts and fails
 * when a package skips more tests than `.ci/skip-allowance.json` allows. Spread
 * into the `test` settings of packages that do not use {@link backendProjects}.
 */
export const testReport = {
  reporters: ['default', 'json'],
  outputFile: { json: '.tmp/test-report.json' },
};

/** Options of {@link backendProjects}. */
export type BackendProjectOptions = {
  /**
   * Test files that must run in a fresh module graph of their own (those that `vi.mock` a
   * module another file may already have loaded): they run in an extra project per backend,
   * `<backend> isolated`.
   */
  isolated?: string[];
  /**
   * Test files that test no kernel (child processes killed mid-save, Ctrl-C handling) or whose
   * kernels the other files already cover on every backend: they run on the first backend only,
   * where a second pass would cost CI tens of seconds for nothing.
   */
  firstBackendOnly?: string[];
};

/**
 * Test settings for packages that use tfjs: the same suite runs once per
 * backend that CI can install (wasm and the pure-JS cpu), each forced through
 * SEQGEN_BACKEND so that a backend that fails to start fails the run.
 *
 * Files of one worker share their modules (`isolate: false`): loading tfjs and its wasm
 * binary again for every file cost as much CPU as the tests themselves. Tests therefore must
 * not depend on a fresh module state; the few that mock modules are listed in `isolated`.
 */
export function backendProjects(backends: string[] = ['wasm', 'cpu'], options: BackendProjectOptions = {}) {
  const isolated = options.isolated ?? [];
  const firstOnly = options.firstBackendOnly ?? [];
  // `include` is set per project, never at the root: a project that extends the root config
  // would add its own patterns to the root's instead of replacing them.
  const projects: TestProjectInlineConfiguration[] = backends.flatMap((backend, index) => {
    const env = { SEQGEN_BACKEND: backend };
    const skipped = index === 0 ? [] : firstOnly;
    const shared: TestProjectInlineConfiguration = {
      extends: true,
      test: {
        name: backend,
        env,
        isolate: false,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        exclude: [...configDefaults.exclude, ...isolated, ...skipped],
      },
    };
    const ownGraph = isolated.filter((file) => !skipped.includes(file));
    if (ownGraph.length === 0) return [shared];
    return [shared, { extends: true, test: { name: `${backend} isolated`, env, isolate: true, include: ownGraph } }];
  });
  return {
    ...testReport,
    // Generous: CI machines have 2 cores, and the training tests are real training.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    projects,
  };
}

/**
 * Test settings for the apps: one backend, wasm, the one a Node install without tfjs-node
 * runs them on. An app adds no kernels of its own; every op it uses is tested on wasm and
 * cpu by the packages below it, so a second pass would test the CLI twice for nothing.
 */
export function appProjects() {
  return backendProjects(['wasm']);
}
