import type { TestProjectInlineConfiguration } from 'vitest/config';

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

/**
 * Test settings for packages that use tfjs: the same suite runs once per
 * backend that CI can install (wasm and the pure-JS cpu), each forced through
 * SEQGEN_BACKEND so that a backend that fails to start fails the run.
 */
export function backendProjects(backends: string[] = ['wasm', 'cpu']) {
  const projects: TestProjectInlineConfiguration[] = backends.map((backend) => ({
    extends: true,
    test: { name: backend, env: { SEQGEN_BACKEND: backend } },
  }));
  return {
    ...testReport,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: CI machines have 2 cores, and the training tests are real training.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    projects,
  };
}
