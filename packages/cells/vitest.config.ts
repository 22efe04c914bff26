import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// Every suite runs per backend with @seqgen/native's kernels when they are built;
// every suite runs again with SEQGEN_NATIVE=0 so the pure-tfjs kernels stay checked.
const base = backendProjects();
export default defineConfig({
  test: {
    ...base,
    projects: [
      ...base.projects,
      ...['wasm', 'cpu'].map((backend) => ({
        extends: true as const,
        test: { name: `${backend} pure-tfjs`, env: { SEQGEN_BACKEND: backend, SEQGEN_NATIVE: '0' } },
      })),
    ],
  },
});
