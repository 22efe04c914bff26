import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// One backend: this package adds no kernels (its only tfjs calls build and read
// back [B, T, H, W, C] tensors), and its parsers and generator are plain
// JavaScript, so a second backend would retest nothing but tfjs itself.
export default defineConfig({ test: backendProjects(['cpu']) });
