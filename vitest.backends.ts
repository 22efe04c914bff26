import type { TestProjectInlineConfiguration } from 'vitest/config';

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
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: CI machines have 2 cores, and the training tests are real training.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    projects,
  };
}
