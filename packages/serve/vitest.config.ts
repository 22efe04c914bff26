import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// The server's tests are end-to-end over HTTP with a real checkpoint; the batching engine
// under it is tested on every backend in @seqgen/samplers, so the cpu backend alone is enough here.
export default defineConfig({ test: backendProjects(['cpu']) });
