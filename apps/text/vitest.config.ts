import { defineConfig } from 'vitest/config';
import { appProjects } from '../../vitest.backends.ts';

// Two test files at a time: the tests mostly wait on the CLI processes they start, so one worker
// leaves a 2-core machine half idle (measured: the suite in 143 s instead of 177 s, same CPU time).
export default defineConfig({ test: { ...appProjects(), maxWorkers: 2 } });
