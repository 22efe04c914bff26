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
      ...base.projects.map((project) => ({
        ...project,
        test: {
          ...project.test,
          name: `${project.test?.name} pure-tfjs`,
          env: { ...project.test?.env, SEQGEN_NATIVE: '0' },
        },
      })),
    ],
  },
});
