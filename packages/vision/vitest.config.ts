import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

export default defineConfig({ test: backendProjects() });
