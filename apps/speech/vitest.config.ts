import { defineConfig } from 'vitest/config';
import { appProjects } from '../../vitest.backends.ts';

export default defineConfig({ test: appProjects() });
