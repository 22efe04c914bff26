import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// The child-process tests (the REPL, exit codes) and the shipped-checkpoint check test the CLI and the files,
// not the backend: they run on wasm only, which keeps the app within its CI seconds.
const base = backendProjects();
export default defineConfig({
  test: {
    ...base,
    projects: base.projects.map((p) =>
      p.test?.name === 'cpu'
        ? { ...p, test: { ...p.test, exclude: ['test/*-process.test.ts', 'test/pretrained.test.ts'] } }
        : p,
    ),
  },
});
