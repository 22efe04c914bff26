import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// One backend: interpret adds no kernels of its own (it reads traces and
// gradients of @seqgen/models and @seqgen/cells, whose suites run on wasm and
// cpu), so a second run would retest their kernels. cpu, because the gradient
// of an embedding gather (UnsortedSegmentSum) is missing on wasm.
export default defineConfig({ test: backendProjects(['cpu']) });
